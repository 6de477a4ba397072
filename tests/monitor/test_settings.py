"""The settings file: defaults, unknown keys, relative paths, profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.settings import SettingsError, load_settings

REPO = Path(__file__).resolve().parents[2]


def test_documented_settings_file_equals_built_in_defaults(tmp_path: Path) -> None:
    documented = load_settings(REPO / "settings.toml")
    builtin = load_settings(cwd=tmp_path)
    for section in ("database", "ledger", "disclosure", "evaluation", "report", "ui"):
        assert getattr(documented, section) == getattr(builtin, section)
    assert documented.imports.max_uncompressed_mb == builtin.imports.max_uncompressed_mb
    assert (
        set(documented.imports.profiles)
        == set(builtin.imports.profiles)
        == {"generic", "journal", "sap"}
    )
    assert documented.schedule.report_cron == builtin.schedule.report_cron
    assert documented.delivery.smtp_port == builtin.delivery.smtp_port


def test_unknown_key_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[imports]\nmax_uncompresed_mb = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"imports\.max_uncompresed_mb"):
        load_settings(path)


def test_unknown_profile_key_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[imports.profiles.x]\ncolumns = { amount = "Betrag" }\ncredit_markr = "H"\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError, match=r"imports\.profiles\.x\.credit_markr"):
        load_settings(path)


def test_wrong_type_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[disclosure]\nmin_population = "300"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"disclosure\.min_population must be int"):
        load_settings(path)


def test_unknown_language_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[ui]\nlang = "fr"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"ui\.lang must be one of de, en, not 'fr'"):
        load_settings(path)


def test_language_from_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[ui]\nlang = "en"\n', encoding="utf-8")
    assert load_settings(path).ui.lang == "en"
    assert load_settings(cwd=tmp_path / "nowhere").ui.lang == "de"


def test_relative_paths_resolve_against_the_settings_folder(tmp_path: Path) -> None:
    folder = tmp_path / "city"
    folder.mkdir()
    (folder / "settings.toml").write_text(
        '[database]\nurl = "sqlite:///db/l.db"\n[schedule]\ninbox = "in"\n', encoding="utf-8"
    )
    settings = load_settings(folder / "settings.toml")
    assert settings.database_url == f"sqlite:///{folder.resolve() / 'db' / 'l.db'}"
    assert settings.schedule.inbox == folder.resolve() / "in"


def test_settings_profile_replaces_builtin_and_needs_required_columns(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[imports.profiles.sap]\ncolumns = { booking_date = "Datum", amount = "Wert", '
        'account = "Konto" }\nkey = []\n',
        encoding="utf-8",
    )
    profile = load_settings(path).imports.profiles["sap"]
    assert profile.columns["amount"] == ("Wert",)
    assert profile.key == ()
    path.write_text('[imports.profiles.bad]\ncolumns = { amount = "Wert" }\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="required field"):
        load_settings(path)


def test_need_index_weights_from_list_or_table(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[evaluation]\nneed_index = { sgb2_quote = 2, kinderarmut = 1 }\n", "utf-8")
    assert dict(load_settings(path).evaluation.need_index) == {
        "sgb2_quote": 2.0,
        "kinderarmut": 1.0,
    }


def test_a_settings_error_is_worded_in_the_chosen_language_naming_file_and_key(tmp_path):
    from click.testing import CliRunner

    from monitor.cli import cli
    from monitor.language import LANG_ENV

    path = tmp_path / "settings.toml"
    path.write_text('[disclosure]\nmin_population = "x"\n', encoding="utf-8")
    runner = CliRunner(env={LANG_ENV: ""})
    german = runner.invoke(cli, ["--settings", str(path), "need"])
    assert german.exit_code == 1
    assert f"Einstellungen {path}: disclosure.min_population muss eine ganze Zahl sein" in (
        german.stderr
    )
    english = runner.invoke(cli, ["--settings", str(path), "--lang", "en", "need"])
    assert "disclosure.min_population must be a whole number, not 'x'" in english.stderr
    missing = runner.invoke(cli, ["--settings", str(tmp_path / "nope.toml"), "need"])
    assert "nope.toml gibt es nicht" in missing.stderr and "Traceback" not in missing.output


def test_the_largest_amount_a_setting_may_hold_is_said_as_money_in_the_locale(tmp_path):
    """The limit of [imports] max_abs_amount (2**53 - 1 cents) reads 90.071.992.547.409,91 €."""
    from reports.messages import Messages

    path = tmp_path / "settings.toml"
    path.write_text('[imports]\nmax_abs_amount = "1e30"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as refused:
        load_settings(path)
    assert "höchstens 90.071.992.547.409,91\xa0€ (etwa" in refused.value.worded(Messages("de"))
    assert "at most €90,071,992,547,409.91 (such as" in refused.value.worded(Messages("en"))
    assert "at most 90071992547409.91 (such as" in str(refused.value)  # the library's words

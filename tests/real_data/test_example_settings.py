"""The shipped settings for real publishers load, and the keys they use are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.settings import SettingsError, load_settings
from tests.real_data.cli import EXAMPLES


def test_berlin_settings_declare_the_zero_convention_and_the_mss_indicators() -> None:
    settings = load_settings(EXAMPLES / "settings-berlin-mss.toml")
    assert settings.indicator_files.all_zero_rows_missing is True
    assert list(settings.evaluation.need_index) == [
        "arbeitslosigkeit",
        "transferbezug",
        "kinderarmut",
    ]
    assert settings.indicators["kinderarmut"].columns == (
        "s4_percentage_transfer_payments_recipients_below_15_years",
    )
    assert settings.disclosure.min_population == 300


def test_koeln_settings_name_the_plan_columns_including_a_misspelt_one() -> None:
    settings = load_settings(EXAMPLES / "settings-koeln.toml")
    assert dict(settings.plan.columns) == {
        "measure": ("Bezirk",),
        "product": ("Teilplan",),
        "line": ("Teilpanzeile",),
    }
    assert settings.plan.spending == load_settings(None).plan.spending  # the default


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[plan]\ncolumns = { district = "Bezirk" }\n', "unknown key plan.columns.district"),
        ("[plan]\ncolumns = { line = 3 }\n", "plan.columns.line must be a header or a list"),
        ("[plan]\nspending = 'x'\n", "plan.spending must be tuple"),
        ("[indicator_files]\nall_zero_rows_missing = 1\n", "must be bool"),
        ("[indicator_files]\nzeros = true\n", "unknown key indicator_files.zeros"),
    ],
)
def test_wrong_keys_and_values_are_errors_that_name_the_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings(path)

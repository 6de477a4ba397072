"""`--profile auto`: which profile reads a file, and an explanation that says why (issue 16)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from imports.header_detection import find_header
from imports.profile import Profile, builtin_profiles, profile_from_table
from imports.readers import RawSheet
from monitor.settings import load_settings
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, journal_rows, write_csv

# The guide's own example (docs/guide-finance.md) without the columns the test file lacks: it
# maps exactly the fields the built-in `generic` maps on a journal export.
KAEMMEREI = """\
[imports.profiles.kaemmerei]
description = "Infoma-Journal der Stadtkasse"
key = ["fiscal_year", "document_no", "line_no"]

[imports.profiles.kaemmerei.columns]
booking_date = "Buchungsdatum"
amount = ["Betrag", "Betrag EUR"]
account = "Sachkonto"
fiscal_year = "Haushaltsjahr"
document_no = "Belegnr."
line_no = "Zeile"
cost_center = "Kostenstelle"
product = "Produkt"
text = "Buchungstext"
"""
JOURNAL = RawSheet("journal.csv", [["Buchungsjournal 2024"], list(JOURNAL_HEADER)])


def _settings_profiles(toml: str) -> dict[str, Profile]:
    profiles = builtin_profiles()
    for name, table in tomllib.loads(toml)["imports"]["profiles"].items():
        profiles[name] = profile_from_table(name, table, name)
    return profiles


def test_city_profile_wins_a_tie_with_the_builtin_profile_and_says_why() -> None:
    match = find_header([JOURNAL], _settings_profiles(KAEMMEREI))
    assert match.profile.name == "kaemmerei"
    assert len(match.columns) == 9
    assert match.reason.startswith("profile 'kaemmerei' (from settings): header in row 2")
    assert (
        "tied at 9 fields with generic (built-in): a profile from settings wins a tie with a "
        "built-in one" in match.reason
    )
    assert "other matching profiles map fewer fields: journal (8)" in match.reason


def test_explanation_never_lists_a_tied_profile_as_mapping_fewer_fields() -> None:
    """The former explanation said "other matching profiles map fewer fields: kaemmerei (9)"
    of a profile that mapped as many as the chosen one."""
    reason = find_header([JOURNAL], _settings_profiles(KAEMMEREI)).reason
    fewer = reason.split("map fewer fields:")[1]
    assert "generic" not in fewer and "kaemmerei" not in fewer


def test_builtin_profile_still_wins_when_it_maps_more_fields() -> None:
    smaller = KAEMMEREI.replace('text = "Buchungstext"\n', "")
    match = find_header([JOURNAL], _settings_profiles(smaller))
    assert match.profile.name == "generic"
    assert match.reason.startswith("profile 'generic' (built-in)")
    assert "map fewer fields: journal (8), kaemmerei (8)" in match.reason


def test_tie_between_two_city_profiles_goes_to_the_first_defined_and_says_so() -> None:
    second = KAEMMEREI.replace("kaemmerei", "stadtkasse")
    match = find_header([JOURNAL], _settings_profiles(KAEMMEREI + "\n" + second))
    assert match.profile.name == "kaemmerei"
    assert "tied at 9 fields with generic (built-in), stadtkasse (from settings)" in match.reason
    assert "of equals, the one defined first wins" in match.reason


def test_only_matching_profile_says_no_other_matches() -> None:
    profiles = {"kaemmerei": _settings_profiles(KAEMMEREI)["kaemmerei"]}
    match = find_header([JOURNAL], profiles)
    assert match.reason.endswith("; no other profile matches")


def test_settings_profile_replacing_a_builtin_one_counts_as_the_citys(tmp_path: Path) -> None:
    settings = load_settings(cwd=tmp_path)
    assert all(p.builtin for p in settings.imports.profiles.values())
    replaced = _settings_profiles(KAEMMEREI.replace("kaemmerei", "generic"))
    assert replaced["generic"].builtin is False
    assert replaced["sap"].builtin is True


def test_import_summary_names_the_citys_profile_on_a_tie(monitor: Monitor, tmp_path: Path) -> None:
    (monitor.workdir / "settings.toml").write_text(KAEMMEREI, encoding="utf-8")
    path = write_csv(
        tmp_path / "journal.csv",
        journal_rows([(24001, 1, "15.01.2024", "501100", "1.234,56", "Personal")]),
    )
    result = monitor.json("import", "postings", str(path))
    assert result["profile"] == "kaemmerei"
    assert "a profile from settings wins a tie" in result["profile_reason"]
    assert result["imported"] == 1

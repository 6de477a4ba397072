"""Place types by their names, not their codes (issue 18, left over): `[places.names]` gives
each type the name the report and `access`/`siting` show ("Beratungsstellen"), the demo's two
built in; a code without a name is shown as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.language import LANG_ENV
from monitor.settings import SettingsError, load_settings


def _settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_demos_types_have_german_names_and_a_city_adds_or_replaces_its_own(tmp_path):
    places = load_settings(None, cwd=tmp_path).places
    assert places.name("beratung") == "Beratungsstellen"
    assert places.name("familienzentrum") == "Familienzentren"
    assert places.name("jugendtreff") == "jugendtreff"
    path = _settings(
        tmp_path,
        '[places.names]\njugendtreff = "Jugendtreffs"\nberatung = "Beratungsstellen der Stadt"\n',
    )
    places = load_settings(path).places
    assert places.name("jugendtreff") == "Jugendtreffs"
    assert places.name("beratung") == "Beratungsstellen der Stadt"
    assert places.name("familienzentrum") == "Familienzentren"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[places.names]\nberatung = 3\n", "places.names.beratung"),
        ('[places]\nnamen = { beratung = "x" }\n', "places.namen"),
        ("[places]\nnetwork = 1\n", "places.network"),
    ],
)
def test_a_name_that_is_not_a_text_or_an_unknown_key_is_an_error_naming_it(tmp_path, text, key):
    with pytest.raises(SettingsError) as refused:
        load_settings(_settings(tmp_path, text))
    assert key in str(refused.value)


def test_the_walking_network_is_found_beside_the_settings_file_or_is_none(tmp_path):
    assert load_settings(None, cwd=tmp_path).places.network == ""
    (tmp_path / "city").mkdir()
    path = _settings(tmp_path / "city", '[places]\nnetwork = "Dueren.osm.pbf"\n')
    assert load_settings(path).places.network == str(tmp_path / "city" / "Dueren.osm.pbf")


def test_the_shipped_settings_file_names_the_demos_types(tmp_path):
    shipped = Path(__file__).parents[2] / "settings.toml"
    names = load_settings(shipped).places.names
    assert names["beratung"] == "Beratungsstellen" and names["familienzentrum"] == "Familienzentren"


def test_access_and_siting_show_the_types_name_and_figures_in_the_locale(demo_url):
    runner = CliRunner(env={LANG_ENV: ""})
    shown = runner.invoke(cli, ["--db", demo_url, "access", "--type", "beratung"]).output
    assert "Kurze Wege zu Beratungsstellen (" in " ".join(shown.split())
    assert "„beratung“" not in shown
    # Figures through Babel, need classes in words, within 80 columns (issue 16 item 1).
    assert max(len(line) for line in shown.splitlines()) <= 80
    assert "sehr hoch" in shown and "very_high" not in shown and "1.000 m" in shown
    assert "gezählt: alle Einwohner" in " ".join(shown.split()) and "population" not in shown
    english = runner.invoke(cli, ["--db", demo_url, "--lang", "en", "access", "--type", "beratung"])
    assert "counted: all inhabitants" in " ".join(english.output.split())
    sited = runner.invoke(
        cli, ["--db", demo_url, "siting", "--type", "familienzentrum", "--add", "1"]
    ).output
    assert "Neue Anlaufstellen (Familienzentren): 1, höchstens 1.000 m" in sited


def test_the_import_summary_names_each_type_with_the_code_access_takes(tmp_path):
    """ "Beratungsstellen „beratung“ 2": the name a clerk reads, and the code to type."""
    import json

    points = [{"type": "Feature", "properties": {"Name": f"Stelle {i}"},
               "geometry": {"type": "Point", "coordinates": [6.48 + i / 100, 50.8]}}
              for i in range(2)]  # fmt: skip
    path = tmp_path / "stellen.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": points}), "utf-8")
    runner = CliRunner(env={LANG_ENV: ""})
    for lang, said in (
        ("de", "Beratungsstellen „beratung“ 2"),
        ("en", "Beratungsstellen “beratung” 2"),
    ):
        db = f"sqlite:///{tmp_path / lang}.db"
        shown = runner.invoke(
            cli,
            ["--db", db, "--lang", lang, "import", "facilities", str(path), "--type", "beratung"],
        ).output
        assert said in shown, shown


def test_a_rejected_place_of_a_geojson_file_is_not_said_to_be_in_a_sheet(tmp_path):
    """A GeoJSON file has one layer, named like the file: no "Blatt „stellen“" to look for, and
    its places are features, not rows."""
    import json

    point = {"type": "Feature", "properties": {"Name": "Stelle", "Maßnahme": "XX-99"},
             "geometry": {"type": "Point", "coordinates": [6.48, 50.8]}}  # fmt: skip
    path = tmp_path / "stellen.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [point]}), "utf-8")
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    args = ["--db", db, "import", "facilities", str(path), "--type", "beratung"]
    shown = CliRunner(env={LANG_ENV: ""}).invoke(cli, args).stderr
    assert f"Fehler: {path}, Objekt 1, Spalte „Maßnahme“: keine Maßnahme 'XX-99'" in shown
    assert "Blatt" not in shown

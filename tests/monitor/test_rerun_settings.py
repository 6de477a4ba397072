"""`report --rerun` uses the settings recorded with the run (issue 16 item 6): from another folder
(or after the demo, whose settings are no file) the city's name, the indicators' names and units,
the accounts and thresholds are the run's, not the invocation's. A run recorded before the
settings were (revision 0013) still reruns with the invocation's settings and a warning.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import create_engine, update

from ledger.master_models import ReportRun
from monitor.recorded_settings import recorded_settings, settings_digest, settings_record
from monitor.settings import load_settings
from tests.conftest import Monitor
from tests.monitor.test_report_command import numbers, pdf_text, read_json, small_city  # noqa: F401

SETTINGS = """
[report]
city = "Musterstadt an der Rur"
boundaries = "karten/quartiere.geojson"

[disclosure]
min_population = 500

[evaluation]
need_index = { sgb2_quote = 2, kinderarmut = 1 }

[indicators.sgb2_quote]
name = "SGB-II-Quote"
unit = "%"
higher_is_worse = true
columns = ["SGB II Quote"]

[ledger]
spending_accounts = ["5*", "7*"]

[schedule]
timezone = "Europe/Vienna"
"""


def test_the_recorded_settings_come_back_whole_in_another_folder(tmp_path: Path) -> None:
    (tmp_path / "stadt").mkdir()
    (tmp_path / "stadt" / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    (tmp_path / "anderswo").mkdir()
    then = load_settings(tmp_path / "stadt" / "settings.toml")
    elsewhere = load_settings(cwd=tmp_path / "anderswo")
    assert elsewhere.report.city == "Stadt"  # the built-in default the issue saw

    again = recorded_settings(elsewhere, settings_record(then))
    assert again.report.city == "Musterstadt an der Rur"
    assert again.indicators == then.indicators
    assert again.indicators["sgb2_quote"].unit == "%"
    assert list(again.evaluation.need_index.items()) == [("sgb2_quote", 2.0), ("kinderarmut", 1.0)]
    assert again.ledger.spending_accounts == ("5*", "7*")
    assert again.disclosure.min_population == 500
    assert again.schedule.timezone == "Europe/Vienna"
    # A relative path points into the run's folder, not into this one.
    assert Path(again.report.boundaries) == tmp_path / "stadt" / "karten" / "quartiere.geojson"
    # Where this invocation works stays its own.
    assert again.base_dir == elsewhere.base_dir and again.database == elsewhere.database


def test_the_record_gives_the_runs_digest(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    settings = load_settings(tmp_path / "settings.toml")
    record = json.loads(settings_record(settings))
    assert record["base_dir"] == str(tmp_path)
    text = json.dumps(record["settings"], sort_keys=True, ensure_ascii=False)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == settings_digest(settings)


def test_rerun_from_another_folder_names_the_city_of_the_run(
    small_city: Monitor,  # noqa: F811
    tmp_path: Path,
) -> None:
    (small_city.workdir / "settings.toml").write_text(
        '[report]\ncity = "Musterstadt an der Rur"\n', encoding="utf-8"
    )
    first = small_city.json("report", "--period", "2024", "--out", "first.pdf")
    elsewhere = Monitor(small_city.database_url, tmp_path / "anderswo")
    elsewhere.workdir.mkdir()
    rerun = elsewhere.run("report", "--rerun", str(first["run"]), "--json")
    assert "Hinweis" not in rerun.stderr and "warning" not in rerun.stderr
    document = json.loads(rerun.stdout)
    again = read_json(elsewhere.workdir / document["sidecar"])
    original = read_json(small_city.workdir / first["sidecar"])
    assert again["city"] == "Musterstadt an der Rur"
    assert numbers(again) == numbers(original)  # the settings digest included
    text = pdf_text(elsewhere.workdir / document["file"])
    assert "Musterstadt an der Rur" in text and "Stadt ·" not in text


def test_a_run_without_recorded_settings_reruns_with_the_invocations_and_warns(
    small_city: Monitor,  # noqa: F811
) -> None:
    (small_city.workdir / "settings.toml").write_text(
        '[report]\ncity = "Musterstadt an der Rur"\n', encoding="utf-8"
    )
    first = small_city.json("report", "--period", "2024", "--out", "first.pdf")
    engine = create_engine(small_city.database_url)
    with engine.begin() as connection:  # as a run recorded before revision 0013
        connection.execute(update(ReportRun).values(settings=None))
    engine.dispose()
    (small_city.workdir / "settings.toml").write_text('[report]\ncity = "Anderswo"\n', "utf-8")
    rerun = small_city.run("report", "--rerun", str(first["run"]), "--json")
    original = read_json(small_city.workdir / first["sidecar"])
    assert original["settings_digest"][:12] in rerun.stderr  # the warning names the run's digest
    assert "Hinweis: Die Einstellungen weichen von denen des Laufs" in rerun.stderr
    again = read_json(small_city.workdir / json.loads(rerun.stdout)["sidecar"])
    assert again["city"] == "Anderswo"

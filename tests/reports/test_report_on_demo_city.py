"""The committee report of the synthetic demo city, checked against the commands' own output.

The ledger is built once for the module, through the CLI as a city would (master data, then
twelve exports), with settings that name the indicators and set `[disclosure] min_population`
to 2000, so that five small districts (SR10, SR16, SR17, SR18, SR19) fall under disclosure
control. The report of 2024 must show what `spend`, `need`, `targeting` and `evaluate` print,
formatted the German way, and its sidecar must hold exactly their numbers. Then a further export
(a correction and a new posting) and a revised district list are imported: a fresh report shows
the new numbers, `report --rerun 1 --lang en` the old ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from monitor.demo.synthetic_city import build_city, write_city
from tests.conftest import Monitor
from tests.exports import sap_export

SETTINGS = """
[disclosure]
min_population = 2000

[report]
city = "Düren (synthetische Demo-Stadt)"

[indicators.sgb2_quote]
name = "SGB-II-Quote"
unit = "%"

[indicators.kinderarmut]
name = "Kinderarmut (SGB II unter 15)"
unit = "%"
"""
SMALL = {"SR10": "Berzbuir", "SR16": "Hoven", "SR17": "Konzendorf", "SR18": "Krauthausen",
         "SR19": "Kufferath"}  # fmt: skip
MASTER = ("districts", "indicators", "measures", "plan")
RUN_FIELDS = ("run", "created", "rerun_of")


def text_of(path: Path) -> list[str]:
    """Each page's text, whitespace and no-break spaces as single spaces."""
    return [
        re.sub(r"\s+", " ", page.extract_text().replace("\xa0", " "))
        for page in PdfReader(path).pages
    ]


def german_money(amount: str) -> str:
    """A SPEC §2 amount ("-1234.50") as the report prints it: "-1.234,50 €"."""
    value = Decimal(amount)
    digits = f"{abs(value):,.2f}".translate(str.maketrans(",.", ".,"))
    return f"{'-' if value < 0 else ''}{digits} €"


def german_number(value: float, places: int) -> str:
    """Rounded half up (kaufmännisch), decimal comma: 0.7012 → "0,70"."""
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    rounded = abs(rounded) if rounded == 0 else rounded
    return f"{rounded:,.{places}f}".translate(str.maketrans(",.", ".,"))


def german_integer(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def german_p(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {german_number(p, 2 if p >= 0.01 else 3)}"


@dataclass
class Original:
    monitor: Monitor
    files: dict[str, Path]
    report: dict
    sidecar: dict
    pages: list[str]
    spend: dict
    by_program: dict
    need: dict
    targeting: dict
    evaluations: dict[str, dict | None]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Original:
    folder = tmp_path_factory.mktemp("demo-city")
    (folder / "settings.toml").write_text(SETTINGS, encoding="utf-8")
    monitor = Monitor(f"sqlite:///{folder / 'ledger.db'}", folder)
    files = write_city(build_city(0), folder / "exports")
    for kind in MASTER:
        assert monitor.json("import", kind, str(files[kind]))["errors"] == []
    postings = [str(path) for name, path in files.items() if name.startswith("postings")]
    monitor.json("import", "postings", *postings)

    report = monitor.json("report", "--period", "2024", "--out", "Sozialbericht_2024.pdf")
    sidecar = json.loads((folder / report["sidecar"]).read_text("utf-8"))
    programs = [p["program"] for p in sidecar["programs"]]
    evaluations = {}
    for program in programs:
        args = ("evaluate", "--indicator", "sgb2_quote", "--program", program, "--json")
        result = monitor.run(*args, expect=None)
        evaluations[program] = json.loads(result.stdout) if result.exit_code == 0 else None
    return Original(
        monitor=monitor,
        files=files,
        report=report,
        sidecar=sidecar,
        pages=text_of(folder / report["file"]),
        spend=monitor.json("spend", "--by", "district", "--year", "2024"),
        by_program=monitor.json("spend", "--by", "program", "--year", "2024"),
        need=monitor.json("need", "--period", sidecar["need_period"]),
        targeting=monitor.json("targeting", "--year", "2024"),
        evaluations=evaluations,
    )


def test_the_pdf_shows_what_spend_targeting_and_evaluate_print_in_german(original) -> None:
    text = " ".join(original.pages)
    spending_page = next(p for p in original.pages if p.startswith("Ausgaben je Quartier"))
    for row in original.spend["rows"]:
        shown = (
            f"{row['key']} {row['name']} {german_money(row['amount'])} "
            f"{german_integer(row['population'])} {german_money(row['per_capita'])}"
        )
        assert shown in spending_page, row
    assert f"nicht zugeordnet {german_money(original.spend['unattributed'])}" in spending_page
    assert f"Summe der Ausgaben {german_money(original.spend['total'])}" in spending_page

    targeting = original.targeting
    low, high = targeting["spearman_ci"]
    assert (
        f"Ausgaben je Einwohner: {german_number(targeting['spearman'], 2)} (95-%-Intervall "
        f"{german_number(low, 2)} bis {german_number(high, 2)})" in text
    )
    share = german_number(100 * targeting["top_fifth_spending_share"], 1)
    assert f"Das bedürftigste Fünftel der Bevölkerung erhält {share} % der Ausgaben" in text
    assert f"Konzentrationsindex {german_number(targeting['concentration_index'], 2)}." in text

    evaluated = 0
    for program, evaluation in original.evaluations.items():
        row = next(r for r in original.by_program["rows"] if r["key"] == program)
        assert (
            f"Programm: {program} Haushaltsansatz (Plan): {german_money(row['plan'])}; "
            f"ausgegeben: {german_money(row['amount'])}" in text
        )
        if evaluation is None:
            continue
        evaluated += 1
        places = max(1, min(4, -int(Decimal(repr(evaluation["se"])).adjusted())))
        low, high = evaluation["ci"]
        assert (
            "Geschätzter Unterschied (gefördert minus Vergleich): "
            f"{german_number(evaluation['estimate'], places)} Prozentpunkte; Standardfehler "
            f"{german_number(evaluation['se'], places + 1)}; 95-%-Intervall "
            f"{german_number(low, places)} bis {german_number(high, places)}; "
            f"{german_p(evaluation['pvalue'])}." in text
        ), program
    assert evaluated == 5  # Sozialraumplanung reaches no district, so it has no estimate
    assert "Sozialraumplanung: Keine Wirkungsschätzung. Die Ausgaben des Programms sind keinem" in (
        text
    )


def test_each_program_fits_its_page_and_the_spending_chart_stays_by_its_table(original) -> None:
    pages = original.pages
    starts = [i for i, page in enumerate(pages) if page.startswith("Programm: ")]
    assert len(starts) == len(original.sidecar["programs"]) == 6
    for index in starts:  # the next page starts a section: nothing ran over
        assert pages[index + 1].startswith(("Programm: ", "Methodische Hinweise"))
    spending_page = next(p for p in pages if p.startswith("Ausgaben je Quartier"))
    assert "Links die Ausgaben je Quartier (grau: keinem Quartier zugeordnet)" in spending_page


def test_the_report_says_what_nicht_zugeordnet_is_as_spend_does(original) -> None:
    """Issue 16 item 6: the unattributed amount by kind, measure, account and cost centre."""
    breakdown = original.spend["unattributed_breakdown"]
    assert original.sidecar["unattributed_breakdown"] == breakdown
    text = " ".join(original.pages)
    assert (
        f"{german_money(original.spend['unattributed'])} der Ausgaben erreichen kein Quartier: "
        f"{german_money(breakdown['no_measure'])} auf Buchungen, die keine Regel" in text
    )
    [measure] = breakdown["measures_without_allocation"]  # SRP-01 has no allocation by design
    assert measure["measure"] == "SRP-01"
    assert f"SRP-01 {measure['name']}: {german_money(measure['amount'])}" in text
    largest = breakdown["by_account"][0]
    assert f"Sachkonto {largest['key']} {german_money(largest['amount'])}" in text
    assert "Nicht zugeordnet sind" in next(p for p in original.pages if "Auf einen Blick" in p)


def test_the_sidecar_holds_exactly_the_commands_numbers(original) -> None:
    sidecar = original.sidecar
    columns = ("key", "name", "amount", "population", "per_capita")
    assert [{c: d[c] for c in columns} for d in sidecar["districts"]] == original.spend["rows"]
    assert (sidecar["unattributed"], sidecar["total"]) == (
        original.spend["unattributed"],
        original.spend["total"],
    )
    assert sidecar["targeting"] == original.targeting
    assert sidecar["need"] == original.need
    for section in sidecar["programs"]:
        row = next(r for r in original.by_program["rows"] if r["key"] == section["program"])
        assert (section["plan"], section["actual"]) == (row["plan"], row["amount"])
        expected = original.evaluations[section["program"]]
        if expected is None:
            assert section["evaluation"] is None and section["unavailable_reason"]
            continue
        shown = {k: v for k, v in section["evaluation"].items() if not k.startswith("indicator_")}
        assert shown | {"indicator": "sgb2_quote"} == {
            k: v for k, v in expected.items() if k not in ("frequency", "missing_values")
        }
        assert section["evaluation"]["indicator_name"] == "SGB-II-Quote"
    run = sidecar["run"]
    assert (run["run"], run["sha256"], run["pages"]) == (
        original.report["run"],
        original.report["sha256"],
        original.report["pages"],
    )
    assert sidecar["inputs"]["last_master_import_id"] == 4


@pytest.mark.parametrize("end", [date(2024, 12, 31), date(2021, 6, 30)])
def test_program_spending_by_year_reuses_the_panels_tagging_and_gives_the_same_figures(
    original, monkeypatch: pytest.MonkeyPatch, end: date
) -> None:
    from ledger.district_panel import panel_inputs
    from ledger.posting_queries import ledger_bound
    from monitor import report_programs
    from monitor.context import AppContext
    from monitor.settings import load_settings

    folder = original.monitor.workdir
    app = AppContext(load_settings(folder / "settings.toml"), original.monitor.database_url)
    patterns = app.settings.ledger.spending_patterns
    with app.engine.connect() as connection:
        bound = ledger_bound(connection)
        tagged_now = report_programs.program_spending_by_year(
            connection, patterns, end, bound, None
        )
        inputs = panel_inputs(
            connection,
            "sgb2_quote",
            patterns,
            as_of=bound.master_import_id,
            upto_posting=bound.posting_id,
        )
        # the indicator spans every posting year, so nothing is tagged a second time
        monkeypatch.setattr(report_programs, "tag_spending", None)
        reused = report_programs.program_spending_by_year(connection, patterns, end, bound, inputs)
    assert reused == tagged_now
    assert reused["Jugendzentren"][-1][0] == str(end.year)
    assert sum(amount for _, amount in reused["Jugendzentren"]) > 0


def test_small_districts_show_no_need_figures_and_the_report_says_so(original) -> None:
    suppressed = {d["key"] for d in original.sidecar["suppressed"] if d["below_minimum"]}
    assert suppressed == set(SMALL)
    for district in original.sidecar["districts"]:
        if district["key"] in SMALL:
            assert (district["need_index"], district["need_class"]) == (None, None)
    spending_page = next(p for p in original.pages if p.startswith("Ausgaben je Quartier"))
    konzendorf = next(r for r in original.spend["rows"] if r["key"] == "SR17")
    assert f"Konzendorf {german_money(konzendorf['amount'])} 1.648 1,86 € –" in spending_page
    note = (
        "Geheimhaltung: Für Quartiere mit weniger als 2.000 Einwohnern werden weder "
        "Bedarfsindex und Bedarfsklasse noch Indikatorwerte ausgewiesen, auch nicht in "
        "Diagrammen und Karten. Betrifft: Berzbuir, Hoven, Konzendorf, Krauthausen, Kufferath."
    )
    need_page = next(p for p in original.pages if p.startswith("Bedarf und Ausgaben"))
    assert note in spending_page and note in need_page
    assert need_page.count("Konzendorf") == 1  # in the note, not as a point of the scatter plot
    assert "Fallzahlen je Quartier importiert werden" in " ".join(original.pages)


@pytest.fixture(scope="module")
def after_further_export(original: Original, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A correction of the last 2024 posting and a new one, and a district list with a new name
    and population for SR03; then a fresh report, and run 1 again in English."""
    folder = tmp_path_factory.mktemp("later")
    export = sap_export(
        folder / "Einzelposten_Nachtrag_2024_SYNTHETISCH.xlsx",
        [
            (24000966, 1, date(2024, 12, 31), "529100", "51203", "1.051,40", "S"),  # was 51,40
            (24999001, 1, date(2024, 12, 20), "529100", "51203", "10.000,00", "S"),
        ],
    )
    imported = original.monitor.json("import", "postings", str(export))
    book = load_workbook(original.files["districts"])
    for row in book["Sozialräume"].iter_rows(min_row=2):
        if row[0].value == "SR03":
            row[1].value = "Nord-Düren (neu)"
    for row in book["Einwohner"].iter_rows(min_row=2):
        if (row[0].value, row[1].value) == ("SR03", 2024):
            row[2].value = 9000
    districts = folder / "districts-neu.xlsx"
    book.save(districts)
    original.monitor.json("import", "districts", str(districts))
    fresh = original.monitor.json("report", "--period", "2024", "--out", "neu.pdf")
    rerun = original.monitor.json("report", "--rerun", "1", "--lang", "en")
    workdir = original.monitor.workdir
    return {
        "imported": imported,
        "fresh": json.loads((workdir / fresh["sidecar"]).read_text("utf-8")),
        "rerun_document": rerun,
        "rerun": json.loads((workdir / rerun["sidecar"]).read_text("utf-8")),
        "rerun_pages": text_of(workdir / rerun["file"]),
    }


def _numbers(sidecar: dict) -> object:
    """Everything but the run and the caveats' texts, which are in the run's language."""
    numbers = json.loads(json.dumps({k: v for k, v in sidecar.items() if k not in RUN_FIELDS}))
    return _without_texts(numbers)


def _without_texts(value: object) -> object:
    """The document without the caveats' texts (a caveat keeps its code and values) and without
    `warnings` (the list of those texts)."""
    if isinstance(value, list):
        return [_without_texts(v) for v in value]
    if not isinstance(value, dict):
        return value
    return {
        k: _without_texts(v)
        for k, v in value.items()
        if k != "warnings" and not (k == "text" and "code" in value)
    }


def test_a_rerun_after_a_further_export_gives_the_original_numbers_and_a_new_report_the_new(
    original, after_further_export
) -> None:
    later = after_further_export
    assert (later["imported"]["imported"], later["imported"]["corrections"]) == (1, 1)
    assert _numbers(later["rerun"]) == _numbers(original.sidecar)
    assert later["rerun_document"]["file"] == "Sozialbericht_2024-rerun-1.pdf"
    assert later["rerun"]["run"]["lang"] == "en" and later["rerun"]["rerun_of"] == 1

    fresh = later["fresh"]
    added = Decimal("1000.00") + Decimal("10000.00")
    assert Decimal(fresh["total"]) == Decimal(original.sidecar["total"]) + added
    names = {d["key"]: (d["name"], d["population"]) for d in fresh["districts"]}
    assert names["SR03"] == ("Nord-Düren (neu)", 9000)
    assert fresh["targeting"] != original.sidecar["targeting"]
    assert fresh["changes"]["previous_report"] == 1
    assert (fresh["changes"]["new_postings"], fresh["changes"]["corrections"]) == (1, 1)


def test_the_english_rerun_reads_in_english_with_english_formats(
    original, after_further_export
) -> None:
    pages = after_further_export["rerun_pages"]
    text = " ".join(pages)
    total = Decimal(original.sidecar["total"])
    assert f"Spending in the period: €{total:,.2f}" in text
    assert "Recomputed from report no. 1 with its data as they stood then" in text
    assert "Nord-Düren (neu)" not in text and "Nord-Düren" in text
    assert "Auf einen Blick" not in text and pages[1].startswith("At a glance")
    assert f"Page 1 of {len(pages)}" in pages[0]


# The demo plants -1.0 in Jugendzentren, -0.5 in Schulsozialarbeit (below its smallest
# detectable effect, so not significant), 0 in Familienzentren and Seniorentreffs and -1.5 in
# Starke Quartiere (one district: synthetic DiD); Sozialraumplanung reaches no district.
DEMO_VERDICTS = {
    "Familienzentren": ("nicht von Zufall zu unterscheiden", "cannot be told apart from chance"),
    # Shown, but its breakdown M̄ is below 1: the glance table says so beside the verdict.
    "Jugendzentren": (
        "Wirkung belegt; Vorsicht: hielte schon schwächeren Trendunterschieden als vor dem Start "
        "nicht stand",
        "effect shown; caution: would not survive trends diverging less than before the start",
    ),
    "Schulsozialarbeit": ("nicht von Zufall zu unterscheiden", "cannot be told apart from chance"),
    "Seniorentreffs": ("nicht von Zufall zu unterscheiden", "cannot be told apart from chance"),
    "Sozialraumplanung": ("nicht prüfbar", "not testable"),
    "Starke Quartiere": ("Wirkung belegt", "effect shown"),
}


def glance_rows(glance: str, end: str) -> dict[str, str]:
    """Each programme's row of the glance table: from its name to the next programme's."""
    table = glance[glance.index(next(iter(DEMO_VERDICTS))) : glance.index(end)]
    starts = [table.index(name) for name in DEMO_VERDICTS] + [len(table)]
    return {
        name: table[start:stop]
        for name, start, stop in zip(DEMO_VERDICTS, starts, starts[1:], strict=False)
    }


def test_the_glance_table_gives_each_demo_programme_its_verdict_and_mde(original) -> None:
    glance = next(p for p in original.pages if p.startswith("Auf einen Blick"))
    rows = glance_rows(glance, "Sozialraumplanung: Keine Wirkungsschätzung")
    for program, (verdict, _) in DEMO_VERDICTS.items():
        assert rows[program].rstrip().endswith(verdict), (program, rows[program])
        evaluation = original.evaluations[program]
        if evaluation is None:
            continue
        places = max(1, min(4, -int(Decimal(repr(evaluation["se"])).adjusted())))
        assert german_number(evaluation["mde"]["effect"], places) in rows[program], program
    assert "Der Indikator SGB-II-Quote sank" not in glance  # no sentence per programme any more
    assert "Nord-Düren" in rows["Starke Quartiere"]  # one district: named
    assert "sank um 1,0 (0,6 bis 1,4)" in rows["Jugendzentren"]


def test_demo_pages_tell_mde_sensitivity_pretrend_and_the_synthetic_comparison(original) -> None:
    def page(program: str) -> str:
        return next(p for p in original.pages if p.startswith(f"Programm: {program}"))

    school = original.evaluations["Schulsozialarbeit"]
    mde = german_number(school["mde"]["effect"], 1)
    assert (
        f"Wirkungen kleiner als {mde} Prozentpunkte lassen sich mit diesen 5 Quartieren nicht "
        "vom Zufall unterscheiden." in page("Schulsozialarbeit")
    )
    youth = original.evaluations["Jugendzentren"]
    mbar = german_number(youth["sensitivity"]["breakdown_mbar"], 1)
    assert (
        f"Das Ergebnis hielte, solange die Trends nach dem Start höchstens {mbar}-mal so stark "
        "auseinanderliefen wie davor." in page("Jugendzentren")
    )
    assert "Urteil: Wirkung belegt" in page("Jugendzentren")
    assert "Bezugsperiode (−1)" in page("Jugendzentren")
    assert youth["pretrend"]["testable"]
    assert f"({german_p(youth['pretrend']['pvalue'])})" in page("Jugendzentren")
    strong = page("Starke Quartiere")
    assert "Synthetischer Vergleich" in strong
    assert "Der Indikator SGB-II-Quote im geförderten Quartier und im synthetischen" in strong
    rmse = original.evaluations["Starke Quartiere"]["pre_rmse"]
    assert f"im Mittel {german_number(rmse, 3)} Prozentpunkte neben dem geförderten" in strong
    top = max(original.evaluations["Starke Quartiere"]["donors"], key=lambda d: d["weight"])
    name = next(d["name"] for d in original.sidecar["districts"] if d["key"] == top["unit"])
    assert f"{name} ({top['unit']}) {german_number(100 * top['weight'], 1)} %" in strong
    assert "lässt sich nicht prüfen: Die synthetische Methode gleicht den Vergleich" in strong


def test_the_english_rerun_gives_the_same_verdicts(after_further_export) -> None:
    pages = after_further_export["rerun_pages"]
    glance = next(p for p in pages if p.startswith("At a glance"))
    rows = glance_rows(glance, "Sozialraumplanung: No effect estimate")
    for program, (_, verdict) in DEMO_VERDICTS.items():
        assert rows[program].rstrip().endswith(verdict), (program, rows[program])
    strong = next(p for p in pages if p.startswith("Program: Starke Quartiere"))
    assert "Synthetic comparison" in strong and "Comparison made of" in strong

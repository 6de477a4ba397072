"""The committee PDF, built from hand-made data and read back with pypdf.

A small synthetic city: six districts (one without population or need index, one whose name
needs escaping), two programs (one evaluated, one whose evaluation was unavailable), two import
batches and a boundaries GeoJSON of six squares.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from evaluation.caveat_codes import Caveat
from reports.committee_report import ReportResult, build_report, pdf_date
from reports.formatting import LocaleFormat
from reports.messages import Messages
from reports.overview_sections import cannot_say, spending_per_district
from reports.report_data import BatchProvenance, DistrictSpending, ProgramSection, ReportData
from reports.report_layout import Layout

HEAD = hashlib.sha256(b"ledger head").hexdigest()
DIGEST = hashlib.sha256(b"settings").hexdigest()
BATCH_HASHES = [
    hashlib.sha256(b"Buchungen_2024.xlsx").hexdigest(),
    hashlib.sha256(b"Korrektur.csv").hexdigest(),
]
GERMAN_HEADINGS = [
    "Sozialausgaben und Bedarf in den Quartieren",
    "Auf einen Blick",
    "Was sich nicht sagen lässt",
    "Ausgaben je Quartier",
    "Bedarf und Ausgaben",
    "Karten der Quartiere",
    "Programm: Jugendzentren",
    "Programm: Stadtteilmütter",
    "Methodische Hinweise",
    "Anhang: Herkunft der Daten",
    "Was sich seit dem letzten Bericht geändert hat",
]
ENGLISH_HEADINGS = [
    "Social spending and need in the city's districts",
    "At a glance",
    "What cannot be said",
    "Spending per district",
    "Need and spending",
    "Maps of the districts",
    "Program: Jugendzentren",
    "Program: Stadtteilmütter",
    "Notes on method",
    "Appendix: where the data come from",
    "What has changed since the last report",
]


def _square(key: str, column: int, row: int) -> dict:
    x, y, size = 6.45 + column * 0.02, 50.78 + row * 0.02, 0.02
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {
        "type": "Feature",
        "properties": {"key": key},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _evaluation() -> dict:
    """An evaluate JSON (SPEC §7) with the indicator's name and unit from the settings."""
    return {
        "indicator": "sgb2_quote",
        "indicator_name": "SGB-II-Quote",
        "indicator_unit": "%",
        "program": "Jugendzentren",
        "method": "staggered",
        "estimate": -1.03,
        "se": 0.18,
        "ci": [-1.38, -0.68],
        "pvalue": 0.0002,
        "inference": "analytic standard errors from the influence functions (Callaway & "
        "Sant'Anna 2021), clustered by unit; normal 95 % intervals",
        "inference_code": "influence_function",
        "n_treated": 3,
        "n_control": 3,
        "cohorts": {"2019": ["D01", "D02"], "2021": ["D03"]},
        "pretrend_pvalue": 0.41,
        "pretrend": {"pvalue": 0.41, "testable": True, "reason": None},
        "mde": {"effect": 0.5043, "power": 0.8, "alpha": 0.05, "reason": None},
        "sensitivity": {
            "breakdown_mbar": 1.43,
            "method": "relative magnitudes (Rambachan & Roth 2023)",
            "reason": None,
        },
        "event_study": [
            {"rel_time": -3, "estimate": 0.1, "ci": [-0.4, 0.6]},
            {"rel_time": -2, "estimate": -0.05, "ci": [-0.5, 0.4]},
            {"rel_time": 0, "estimate": -0.6, "ci": [-1.1, -0.1]},
            {"rel_time": 1, "estimate": -1.0, "ci": [-1.5, -0.5]},
            {"rel_time": 2, "estimate": -1.4, "ci": [-2.0, -0.8]},
        ],
        "caveats": [
            Caveat("few_treated_units", {"n": 3, "minimum": 5}).to_dict(),
            Caveat(
                "regression_to_mean",
                {"cohort": "2019", "outcome": "sgb2_quote", "period": "2018", "level_sd": 1.4},
            ).to_dict(),
            # A code this version does not know (a document from a newer one): shown as given.
            {
                "code": "from_a_newer_version",
                "values": {},
                "text": "A caveat nobody has translated yet.",
            },
        ],
        "method_reason_caveat": Caveat("auto_staggered", {"n": 3, "minimum": 3}).to_dict(),
    }


def sample_report_data(synthetic: bool = True) -> ReportData:
    districts = [
        DistrictSpending(
            "D01", "Altstadt", Decimal("250000.00"), 8200, Decimal("30.49"), 1.9, "very_high"
        ),
        DistrictSpending(
            "D02", "Nordviertel", Decimal("180000.00"), 6400, Decimal("28.13"), 1.1, "high"
        ),
        DistrictSpending(
            "D03", "Südhöhe", Decimal("90000.00"), 7100, Decimal("12.68"), 0.1, "medium"
        ),
        DistrictSpending(
            "D04", "Am Weiher & Mühle", Decimal("60000.00"), 5000, Decimal("12.00"), -0.4, "medium"
        ),
        DistrictSpending("D05", "Ostpark", Decimal("1234.56"), 4100, Decimal("0.30"), -1.2, "low"),
        DistrictSpending("D06", "Westfeld", Decimal("0.00"), None, None, None, None),
    ]
    return ReportData(
        city="Beispielstadt",
        synthetic=synthetic,
        period_label="2024",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        created=datetime(2025, 1, 15, 6, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        data_as_of_posting=date(2024, 12, 30),
        data_as_of_indicator="2023",
        districts=districts,
        unattributed=Decimal("40118.00"),
        total=Decimal("621352.56"),
        spending_accounts=("5*",),
        targeting={
            "year": 2024,
            "spearman": 0.9,
            "spearman_ci": [0.21, 1.0],
            "verdict": "Spending follows need: it rises with the need index (...)",
            "verdict_code": "follows",
            "top_fifth_spending_share": 0.312,
            "top_fifth_population_share": 0.2,
            "concentration_index": -0.18,
            "concentration_curve": [
                [0, 0],
                [0.266, 0.432],
                [0.474, 0.743],
                [0.704, 0.889],
                [0.867, 0.998],
                [1, 1],
            ],
            "caveats": [Caveat("few_districts_targeting", {"n": 5}).to_dict()],
            "bootstrap": {"draws": 2000, "draws_used": 2000, "seed": 0, "level": 0.95},
        },
        need_period="2023",
        worsened=[("D02", "Nordviertel", "medium", "high")],
        persistent_high=[("D01", "Altstadt", 3)],
        programs=[
            ProgramSection(
                "Jugendzentren",
                [
                    ("2022", Decimal("100000")),
                    ("2023", Decimal("120000")),
                    ("2024", Decimal("130500.25")),
                ],
                Decimal("150000"),
                Decimal("130500.25"),
                _evaluation(),
                None,
            ),
            ProgramSection(
                "Stadtteilmütter",
                [("2024", Decimal("45678.90"))],
                None,
                Decimal("45678.90"),
                None,
                Caveat("no_treated").to_dict(),
            ),
        ],
        method_notes=True,
        batches=[
            BatchProvenance(
                1,
                "Buchungen_2024.xlsx",
                BATCH_HASHES[0],
                5210,
                5200,
                0,
                "imported",
                datetime(2025, 1, 10, 9, 30),
            ),
            BatchProvenance(
                2,
                "Korrektur.csv",
                BATCH_HASHES[1],
                40,
                12,
                5,
                "partial",
                datetime(2025, 1, 12, 14, 5),
            ),
        ],
        catalog_version=4,
        ledger_head=HEAD,
        software_version="0.1.0",
        settings_digest=DIGEST,
        changes={
            "previous_report": 2,
            "new_postings": 1234,
            "corrections": 5,
            "new_measures": ["JZ-C"],
            "revised_indicator_values": 12,
        },
        boundaries={
            "type": "FeatureCollection",
            "features": [_square(f"D0{i + 1}", i % 3, i // 3) for i in range(6)],
        },
    )


def plain(text: str) -> str:
    """Extracted text with line breaks and no-break spaces as single spaces."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def read_pages(path: Path) -> list[str]:
    return [plain(page.extract_text()) for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportResult, list[str]]:
    result = build_report(sample_report_data(), tmp_path_factory.mktemp("de") / "report.pdf")
    return result, read_pages(result.file)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportResult, list[str]]:
    out = tmp_path_factory.mktemp("en") / "report.pdf"
    result = build_report(sample_report_data(), out, lang="en")
    return result, read_pages(result.file)


def in_order(text: str, parts: list[str]) -> list[str]:
    """The parts that are not found after the previous one (empty when all are in order)."""
    missing, position = [], 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            missing.append(part)
        else:
            position = found + len(part)
    return missing


def test_result_names_the_file_its_hash_and_its_page_count(german):
    result, pages = german
    assert result.pages == len(PdfReader(result.file).pages) == len(pages)
    assert result.sha256 == hashlib.sha256(result.file.read_bytes()).hexdigest()


def test_every_page_carries_page_x_of_y_and_the_synthetic_warning(german):
    result, pages = german
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {result.pages}" in text
        assert "SYNTHETISCHE DATEN" in text
        assert "Beispielstadt · Bericht an den Ausschuss · 2024" in text


def test_same_data_give_the_same_bytes(german, tmp_path):
    again = build_report(sample_report_data(), tmp_path / "again.pdf")
    assert again.sha256 == german[0].sha256


def test_sections_come_in_the_order_of_the_issue(german):
    assert in_order(" ".join(german[1]), GERMAN_HEADINGS) == []


def test_main_headings_are_pdf_bookmarks_on_their_pages(german):
    result, pages = german
    reader = PdfReader(result.file)
    for entry in reader.outline:
        number = reader.get_destination_page_number(entry)
        assert entry["/Title"] in pages[number]


def test_cover_names_city_period_creation_and_data_as_of(german):
    cover = german[1][0]
    assert "Beispielstadt" in cover
    assert "Berichtszeitraum: 2024 (01.01.2024 bis 31.12.2024)" in cover
    assert "Erstellt am 15.01.2025, 06:00" in cover
    assert "Datenstand: Buchungen bis 30.12.2024; Sozialindikatoren: 2023" in cover
    assert "SYNTHETISCHE DATEN" in cover


def test_amounts_and_dates_are_written_the_german_way(german):
    text = " ".join(german[1])
    assert "1.234,56 €" in text
    assert "31.12.2024" in text
    assert "-19.499,75 €" in text  # actual minus plan of Jugendzentren
    assert "87,0 %" in text
    assert "1234.56" not in text


def test_every_district_name_appears_even_with_an_ampersand(german):
    spending_page = german[1][2]
    for name in ("Altstadt", "Nordviertel", "Südhöhe", "Am Weiher & Mühle", "Ostpark", "Westfeld"):
        assert name in spending_page


def test_glance_gives_the_verdict_with_its_numbers_and_the_sign_of_the_index(german):
    glance = german[1][1]
    t = Messages("de")
    assert t("verdict.follows") in glance
    assert (
        "Spearman zwischen Bedarfsindex und Ausgaben je Einwohner: 0,90 (95-%-Intervall "
        "0,21 bis 1,00)" in glance
    )
    assert (
        "Das bedürftigste Fünftel der Bevölkerung erhält 31,2 % der Ausgaben; bei "
        "gleichem Betrag je Einwohner wären es 20 %." in glance
    )
    assert (
        "Konzentrationsindex -0,18. Negativ heißt: Die Ausgaben konzentrieren sich auf "
        "die bedürftigsten Quartiere" in glance
    )


def glance_rows(glance: str, programmes: list[str], end: str) -> dict[str, str]:
    """Each programme's row of the "Auf einen Blick" table as extracted text: from its name to
    the next programme's (a cell that wraps stays inside its row); the last ends at `end`."""
    table = glance[glance.index(programmes[0]) : glance.index(end)]
    rows, starts = {}, [table.index(p) for p in programmes] + [len(table)]
    for programme, start, stop in zip(programmes, starts, starts[1:], strict=False):
        rows[programme] = table[start:stop]
    return rows


def test_glance_shows_the_programmes_as_one_table_with_change_mde_and_verdict(german):
    glance = german[1][1]
    assert "Indikator: SGB-II-Quote (Einheit: Prozentpunkte)." in glance
    rows = glance_rows(glance, ["Jugendzentren", "Stadtteilmütter"], "Stadtteilmütter: Keine")
    # three districts are named; the fall is told with the interval turned the same way
    for part in ("Altstadt", "Nordviertel", "Südhöhe", "sank um 1,0", "(0,7 bis 1,4)", "0,5"):
        assert part in rows["Jugendzentren"], part
    assert rows["Jugendzentren"].rstrip().endswith("Wirkung belegt")
    assert rows["Stadtteilmütter"].split() == ["Stadtteilmütter", "–", "–", "–", "nicht", "prüfbar"]
    assert (
        "Stadtteilmütter: Keine Wirkungsschätzung. Kein gefördertes Quartier hat Werte "
        "sowohl vor als auch nach dem Beginn der Förderung." in glance
    )
    # the near-identical sentences are gone from this page
    assert "Der Indikator SGB-II-Quote sank" not in glance


def test_causal_reading_only_under_parallel_trends(german):
    glance, program = german[1][1], german[1][5]
    assert "nur unter der Annahme paralleler Trends" in glance
    assert (
        "Als Wirkung des Programms lässt sich das nur unter der Annahme paralleler Trends "
        "lesen." in program
    )
    assert "bewirkt" not in " ".join(german[1])


def test_what_cannot_be_said_gives_each_kind_of_caveat_once_and_keeps_unknown_ones(german):
    glance = german[1][1]
    cannot_say = glance[glance.index("Was sich nicht sagen lässt") :]
    assert (
        "Bei so wenigen Quartieren ist das Intervall der Rangkorrelation breit. "
        "Betrifft: Zielgenauigkeit." in cannot_say
    )
    assert (
        "Sehr wenige geförderte Quartiere: Standardfehler und Intervalle sind unsicher. "
        "Betrifft: Jugendzentren." in cannot_say
    )
    assert "ein Teil der Veränderung kann Regression zur Mitte sein. Betrifft: Jugendzentren." in (
        cannot_say
    )
    assert "Jugendzentren: A caveat nobody has translated yet." in cannot_say
    assert "stood out just before the start" not in " ".join(german[1])


def test_a_caveat_shared_by_programs_is_listed_once_naming_them_all():
    data = sample_report_data()
    first = data.programs[0]
    second = replace(first, program="Schulsozialarbeit")
    layout = Layout(Messages("de"), LocaleFormat("de"), 480)
    items = cannot_say(replace(data, programs=[first, second]), layout)
    shared = [item for item in items if "Regression zur Mitte" in item]
    assert shared == [
        Messages("de")("gist.regression_to_mean") + " Betrifft: Jugendzentren, Schulsozialarbeit."
    ]


def test_spending_page_reconciles_districts_unattributed_and_total(german):
    page = german[1][2]
    assert "nicht zugeordnet 40.118,00 €" in page
    assert (
        "Abstimmung: Quartiere 581.234,56 € + nicht zugeordnet 40.118,00 € = Summe der "
        "Ausgaben 621.352,56 € (Ausgabenkonten 5*)." in page
    )


def test_the_reconciliation_says_how_much_was_left_out_as_internal():
    """Issue 17: internal service charges are no spending, and the report says how much."""
    data = replace(
        sample_report_data(), internal_accounts=("58*", "48*"), internal=Decimal("7250.10")
    )
    layout = Layout(Messages("de"), LocaleFormat("de"), 480)
    texts = [
        plain(f.getPlainText())
        for f in spending_per_district(data, layout)
        if isinstance(f, Paragraph)
    ]
    assert any(
        text.startswith("Abstimmung:")
        and text.endswith(
            "Interne Leistungsverrechnung (Konten 58*, 48*) ist keine Ausgabe: 7.250,10 € auf "
            "diesen Konten im Zeitraum sind nicht mitgezählt."
        )
        for text in texts
    )
    nothing = replace(data, internal=Decimal(0))  # nothing internal booked: nothing to say
    assert not any(
        "Interne Leistungsverrechnung" in plain(f.getPlainText())
        for f in spending_per_district(nothing, layout)
        if isinstance(f, Paragraph)
    )


def test_a_total_that_does_not_reconcile_is_flagged():
    data = replace(sample_report_data(), total=Decimal("621352.50"))
    layout = Layout(Messages("de"), LocaleFormat("de"), 480)
    texts = [
        plain(f.getPlainText())
        for f in spending_per_district(data, layout)
        if isinstance(f, Paragraph)
    ]
    assert any(text.startswith("Achtung:") and "Differenz -0,06 €" in text for text in texts)


def test_need_page_lists_worsened_and_persistent_districts(german):
    page = german[1][3]
    assert "Nordviertel (D02): mittel → hoch" in page
    assert "Altstadt (D01): seit 3 Perioden in Folge hoher oder sehr hoher Bedarf" in page
    assert "Ohne Bedarfsindex oder Einwohnerzahl, daher nicht dargestellt: Westfeld." in page


def test_program_page_shows_plan_method_pretrend_and_caveats(german):
    text = " ".join(german[1][5:7])
    assert (
        "Haushaltsansatz (Plan): 150.000,00 €; ausgegeben: 130.500,25 €, das sind 87,0 % "
        "des Plans." in text
    )
    assert (
        "Geschätzter Unterschied (gefördert minus Vergleich): -1,0 Prozentpunkte; "
        "Standardfehler 0,18; 95-%-Intervall -1,4 bis -0,7; p < 0,001." in text
    )
    assert "Beginn der Förderung: 2019 (D01, D02); 2021 (D03)." in text
    assert "Standardfehler aus den Einflussfunktionen" in text
    assert (
        "Vor dem Beginn zeigen sich keine deutlichen Unterschiede in der Entwicklung "
        "(p = 0,41)." in text
    )
    assert "Bezugsperiode (−1)" in text  # the event-study chart's label, as text
    assert "A caveat nobody has translated yet." in text


def test_provenance_lists_every_batch_hash_the_ledger_head_and_the_settings(german):
    text = " ".join(german[1][-2:])
    for sha in BATCH_HASHES:
        assert f"SHA-256: {sha}" in text
    assert HEAD in text
    assert DIGEST in text
    assert "Version des Maßnahmenkatalogs: 4" in text
    assert "Softwareversion: 0.1.0" in text


def test_changes_since_the_last_report(german):
    last = german[1][-1]
    assert "Neue Buchungen: 1.234" in last
    assert "Korrigierte Buchungen: 5" in last
    assert "Neue Maßnahmen: JZ-C" in last


def test_charts_are_vector_graphics_without_any_raster_image(german):
    reader = PdfReader(german[0].file)
    images = []

    def visit(resources: Any) -> None:
        for obj in (resources or {}).get("/XObject", {}).values():
            obj = obj.get_object()
            if obj.get("/Subtype") == "/Image":
                images.append(obj)
            elif obj.get("/Subtype") == "/Form":
                visit(obj.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    assert images == []
    # The charts' labels are text in the PDF, so the charts are drawn, not pasted in.
    assert "Euro je Einwohner" in german[1][2]
    assert "Bedarfsindex (höher = mehr Bedarf)" in german[1][3]
    assert "Bedarfsklasse" in german[1][4]


def test_english_report_uses_the_english_catalogue_and_formats(english):
    result, pages = english
    text = " ".join(pages)
    assert in_order(text, ENGLISH_HEADINGS) == []
    assert "€1,234.56" in text
    assert "31 Dec 2024" in text
    assert "SYNTHETIC DATA" in text
    assert f"Page 1 of {result.pages}" in pages[0]
    assert (
        "The indicator SGB-II-Quote fell by 1.0 percentage points more in the districts "
        "with the program Jugendzentren" in text
    )
    assert "Auf einen Blick" not in text


def test_real_data_without_maps_or_method_notes(tmp_path, german):
    data = replace(sample_report_data(synthetic=False), boundaries=None, method_notes=False)
    result = build_report(data, tmp_path / "plain.pdf")
    text = " ".join(read_pages(result.file))
    assert "SYNTHETISCHE DATEN" not in text
    assert "Karten der Quartiere" not in text
    assert "Methodische Hinweise" not in text
    assert result.pages < german[0].pages


def test_pdf_creation_date_is_the_report_creation_time():
    moment = datetime(2025, 1, 15, 6, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert pdf_date(moment) == "D:20250115060000+01'00'"
    assert pdf_date(datetime(2025, 7, 1, 12, 30)) == "D:20250701123000Z"


def test_a_report_with_almost_nothing_in_it_still_builds(tmp_path):
    data = replace(
        sample_report_data(synthetic=False),
        districts=[],
        unattributed=Decimal("10.00"),
        total=Decimal("10.00"),
        targeting=None,
        need_period=None,
        worsened=[],
        persistent_high=[],
        programs=[],
        batches=[],
        catalog_version=None,
        data_as_of_posting=None,
        data_as_of_indicator=None,
        changes={"previous_report": None},
        boundaries=None,
    )
    result = build_report(data, tmp_path / "empty.pdf")
    text = " ".join(read_pages(result.file))
    assert "Ob die Ausgaben dem Bedarf folgen, lässt sich nicht beurteilen" in text
    assert "Für diesen Zeitraum sind keine Programme ausgewertet." in text
    assert "Datenstand: Buchungen bis unbekannt; Sozialindikatoren: unbekannt" in text
    assert "Dies ist der erste Bericht" in text
    assert "Version des Maßnahmenkatalogs: keine" in text


def test_an_unknown_language_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match="language"):
        build_report(sample_report_data(), tmp_path / "fr.pdf", lang="fr")
    assert not (tmp_path / "fr.pdf").exists()


def test_the_sidecar_is_the_data_as_json_with_two_decimal_amounts():
    data = replace(
        sample_report_data(),
        targeting={"spearman": float("nan"), "spearman_ci": [0.1, float("inf")]},
    )
    document = data.to_dict()
    assert json.loads(json.dumps(document, allow_nan=False)) == document
    assert document["districts"][4] == {
        "key": "D05",
        "name": "Ostpark",
        "amount": "1234.56",
        "population": 4100,
        "per_capita": "0.30",
        "need_index": -1.2,
        "need_class": "low",
    }
    assert document["programs"][0]["spending_by_period"][0] == ["2022", "100000.00"]
    assert (document["period_start"], document["created"]) == (
        "2024-01-01",
        "2025-01-15T06:00:00+01:00",
    )
    assert document["targeting"] == {"spearman": None, "spearman_ci": [0.1, None]}
    assert document["boundaries"]["features"] == 6 and len(document["boundaries"]["sha256"]) == 64

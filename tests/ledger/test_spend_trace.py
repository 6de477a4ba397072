"""spend, trace and the auditor workbook on a small city whose figures are computed by hand.

Hand calculation for 2024 (shares of JZ-A change on 1 January 2024 from 0.5/0.5 to 0.25/0.75):
  doc 2   100.00 JZ-A -> S01 25.00, S03 75.00
  doc 3    10.01 JZ-A -> S01 2.50, S03 7.51 (1001 cents: 250.25 + 750.75; the leftover cent goes
                         to the larger remainder, S03)
  doc 4    -5.00 JZ-A -> S01 -1.25, S03 -3.75 (a refund mirrors a payment)
  doc 6   200.00 FZ-B -> S02 200.00
  doc 7    50.00 PLAN (no allocation) -> unattributed
  doc 8    30.00 no measure -> unattributed
  doc 5 -1000.00 income account 414100 -> not spending
  S01 26.25, S02 200.00, S03 78.76, unattributed 80.00, total 385.01
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_xlsx


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    first, *rest = sheets.items()
    write_xlsx(path, first[1], sheet=first[0])
    book = load_workbook(path)
    for name, rows in rest:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def import_second_catalog(monitor: Monitor, tmp_path: Path) -> dict:
    """A later measures import that keeps only JZ-A and sends all of it to S02; its JSON."""
    catalog = _workbook(
        tmp_path / "measures2.xlsx",
        {
            "Maßnahmen": [
                ["Maßnahme", "Bezeichnung", "Programm", "Kostenstelle"],
                ["JZ-A", "Jugendzentrum A", "Jugendzentren", "36050"],
            ],
            "Zuordnung": [["Maßnahme", "Sozialraum", "Anteil"], ["JZ-A", "S02", 1]],
        },
    )
    return monitor.json("import", "measures", str(catalog))


def _posting(doc: int, day: str, account: str, cost_center: str, amount: str, text_: str) -> list:
    return [
        "2024" if day.endswith("2024") else "2023",
        str(doc),
        "1",
        day,
        account,
        "06.02.01",
        cost_center,
        text_,
        amount,
    ]


POSTINGS = [
    _posting(1, "20.12.2023", "501100", "36050", "100,00", "alt"),
    _posting(2, "02.01.2024", "501100", "36050", "100,00", "@Honorar"),
    _posting(3, "03.01.2024", "529100", "36050", "10,01", "Miete"),
    _posting(4, "04.01.2024", "529100", "36050", "5,00-", "-Erstattung"),
    _posting(5, "05.01.2024", "414100", "36050", "1.000,00-", "Zuweisung"),
    _posting(6, "06.01.2024", "529100", "36110", "200,00", "Familienzentrum"),
    _posting(7, "07.01.2024", "529100", "36999", "50,00", "Planung"),
    _posting(8, "08.01.2024", "529100", "99999", "30,00", "Sonstiges"),
]


@pytest.fixture
def city(monitor: Monitor, tmp_path: Path) -> dict[str, Path]:
    files = {
        "districts": _workbook(
            tmp_path / "districts.xlsx",
            {
                "Sozialräume": [
                    ["Sozialraum", "Bezeichnung"],
                    ["S01", "Nord"],
                    ["S02", "Mitte"],
                    ["S03", "Süd"],
                ],
                "Einwohner": [
                    ["Sozialraum", "Jahr", "Einwohner"],
                    ["S01", 2024, 1000],
                    ["S02", 2024, 3000],
                    ["S03", 2024, 2000],
                ],
            },
        ),
        "measures": _workbook(
            tmp_path / "measures.xlsx",
            {
                "Maßnahmen": [
                    ["Maßnahme", "Bezeichnung", "Programm", "Kostenstelle", "Sachkonto"],
                    ["JZ-A", "Jugendzentrum A", "Jugendzentren", "36050", None],
                    ["FZ-B", "Familienzentrum B", "Familienzentren", "3611*", "5*"],
                    ["PLAN", "Planung", "Planung", "36999", None],
                ],
                "Zuordnung": [
                    ["Maßnahme", "Sozialraum", "Anteil", "Gültig ab", "Gültig bis", "Grundlage"],
                    ["JZ-A", "S01", "0,5", None, "31.12.2023", "Einzugsgebiet"],
                    ["JZ-A", "S02", "0,5", None, "31.12.2023", "Einzugsgebiet"],
                    ["JZ-A", "S01", "0,25", "01.01.2024", None, "Wohnort der Teilnehmenden"],
                    ["JZ-A", "S03", "0,75", "01.01.2024", None, "Wohnort der Teilnehmenden"],
                    ["FZ-B", "S02", 1, None, None, "Fläche"],
                ],
            },
        ),
        "postings": write_xlsx(
            tmp_path / "postings.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS]
        ),
    }
    monitor.json("import", "districts", str(files["districts"]))
    monitor.json("import", "measures", str(files["measures"]))
    monitor.json("import", "postings", str(files["postings"]))
    return files


def test_spend_by_district_matches_the_hand_calculation(monitor: Monitor, city) -> None:
    result = monitor.json("spend", "--by", "district", "--year", "2024")
    amounts = {r["key"]: (r["amount"], r["population"], r["per_capita"]) for r in result["rows"]}
    assert amounts == {
        "S01": ("26.25", 1000, "0.03"),
        "S02": ("200.00", 3000, "0.07"),
        "S03": ("78.76", 2000, "0.04"),
    }
    assert (result["unattributed"], result["total"]) == ("80.00", "385.01")
    # Without a period: the year of the newest booking (2024), not the calendar's year.
    assert monitor.json("spend", "--by", "district") == result
    earlier = monitor.json("spend", "--year", "2023")
    assert {r["key"]: r["amount"] for r in earlier["rows"]} == {
        "S01": "50.00",
        "S02": "50.00",
        "S03": "0.00",
    }


def test_spend_by_measure_and_program_reconcile(monitor: Monitor, city) -> None:
    by_measure = monitor.json("spend", "--by", "measure", "--year", "2024")
    assert {r["key"]: r["amount"] for r in by_measure["rows"]} == {
        "FZ-B": "200.00",
        "JZ-A": "105.01",
        "PLAN": "50.00",
    }
    assert (by_measure["unattributed"], by_measure["total"]) == ("30.00", "385.01")
    by_program = monitor.json(
        "spend", "--by", "program", "--from", "01.01.2024", "--to", "2024-12-31"
    )
    assert {r["key"]: r["amount"] for r in by_program["rows"]} == {
        "Familienzentren": "200.00",
        "Jugendzentren": "105.01",
        "Planung": "50.00",
    }


def test_trace_items_sum_to_spend_and_point_at_the_file_row(monitor: Monitor, city) -> None:
    result = monitor.json("trace", "--district", "S03", "--year", "2024")
    assert result["total"] == "78.76"
    assert [i["allocated"] for i in result["items"]] == ["75.00", "7.51", "-3.75"]
    assert {i["basis"] for i in result["items"]} == {"Wohnort der Teilnehmenden"}
    sheet = load_workbook(city["postings"]).active
    for item in result["items"]:
        source = item["source"]
        assert source["file"] == "postings.xlsx" and len(source["sha256"]) == 64
        row = [c.value for c in sheet[source["row"]]]
        assert row[1] == item["posting"]["document_no"]
        assert row[3] == "{:%d.%m.%Y}".format(
            __import__("datetime").date.fromisoformat(item["posting"]["booking_date"])
        )


def test_auditor_workbook_is_safe_filtered_and_exact(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    out = tmp_path / "trace.xlsx"
    monitor.run("trace", "--district", "S01", "--year", "2024", "--xlsx", str(out))
    book = load_workbook(out)
    detail = book["Einzelposten"]
    assert detail.freeze_panes == "A2" and detail.auto_filter.ref.startswith("A1:")
    texts = [detail.cell(row=r, column=15) for r in range(2, detail.max_row + 1)]
    risky = [c for c in texts if str(c.value).startswith(("@", "-"))]
    assert len(risky) == 2
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    amounts = [detail.cell(row=r, column=5).value for r in range(2, detail.max_row + 1)]
    assert sum(amounts) == pytest.approx(26.25)
    assert detail.cell(row=2, column=5).number_format.startswith("#,##0.00")


def test_new_catalog_version_changes_figures_and_as_of_reproduces_the_old(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    new = import_second_catalog(monitor, tmp_path)
    after = monitor.json("spend", "--year", "2024")
    assert {r["key"]: r["amount"] for r in after["rows"]}["S02"] == "105.01"
    before = monitor.json("spend", "--year", "2024", "--as-of", str(new["import"] - 1))
    assert {r["key"]: r["amount"] for r in before["rows"]}["S02"] == "200.00"


def test_catalog_whose_rules_overlap_is_refused_with_examples(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    catalog = _workbook(
        tmp_path / "overlap.xlsx",
        {
            "Maßnahmen": [
                ["Maßnahme", "Bezeichnung", "Kostenstelle"],
                ["A", "a", "36050"],
                ["B", "b", "360*"],
            ],
            "Zuordnung": [["Maßnahme", "Sozialraum", "Anteil"], ["A", "S01", 1], ["B", "S02", 1]],
        },
    )
    result = monitor.run("import", "measures", str(catalog), expect=1)
    assert "passen zu mehr als einer Maßnahme" in result.stderr and "A, B" in result.stderr


def test_unknown_district_in_allocation_is_refused(monitor: Monitor, city, tmp_path: Path) -> None:
    catalog = _workbook(
        tmp_path / "unknown.xlsx",
        {
            "Maßnahmen": [["Maßnahme", "Bezeichnung", "Kostenstelle"], ["A", "a", "1"]],
            "Zuordnung": [["Maßnahme", "Sozialraum", "Anteil"], ["A", "S99", 1]],
        },
    )
    result = monitor.json("import", "measures", str(catalog), expect=1)
    assert result["errors"][0]["row"] == 2 and "S99" in result["errors"][0]["message"]


def test_correction_replaces_the_amount_in_spend(monitor: Monitor, city, tmp_path: Path) -> None:
    corrected = [*POSTINGS]
    corrected[5] = _posting(6, "06.01.2024", "529100", "36110", "250,00", "Familienzentrum")
    path = write_xlsx(tmp_path / "postings2.xlsx", [["Journal"], JOURNAL_HEADER, *corrected])
    assert monitor.json("import", "postings", str(path))["corrections"] == 1
    result = monitor.json("spend", "--year", "2024")
    assert {r["key"]: r["amount"] for r in result["rows"]}["S02"] == "250.00"
    assert result["total"] == "435.01"
    engine = create_engine(monitor.database_url)
    with engine.connect() as connection:
        versions = connection.execute(text("select count(*) from posting")).scalar_one()
    engine.dispose()
    assert versions == 9  # the superseded version stays for auditors


def test_internal_service_charges_are_left_out_of_spending_and_said(
    monitor: Monitor, city, tmp_path: Path
) -> None:
    """Issue 17: an internal charge (ILV, 581100) on JZ-A's cost center is no spending, nor is
    its income side (481100); `spend` says how much it left out. Settings that name no internal
    accounts count it, also where the derived allocation table was built with the default."""
    internal = [
        _posting(9, "09.01.2024", "581100", "36050", "40,00", "ILV Gebäudewirtschaft"),
        _posting(10, "09.01.2024", "481100", "36050", "40,00-", "ILV Erstattung"),
    ]
    path = write_xlsx(tmp_path / "ilv.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS, *internal])
    assert monitor.json("import", "postings", str(path))["imported"] == 2
    by_district = monitor.json("spend", "--by", "district", "--year", "2024")
    assert (by_district["total"], by_district["internal"]) == ("385.01", "40.00")
    assert {r["key"]: r["amount"] for r in by_district["rows"]}["S03"] == "78.76"
    assert monitor.json("spend", "--by", "measure", "--year", "2024")["internal"] == "40.00"
    trace = monitor.json("trace", "--district", "S03", "--year", "2024")
    assert "581100" not in {item["posting"]["account"] for item in trace["items"]}
    (monitor.workdir / "settings.toml").write_text(
        "[ledger]\ninternal_accounts = []\n", encoding="utf-8"
    )
    counted = monitor.json("spend", "--by", "district", "--year", "2024")
    # 40.00 to JZ-A: 10.00 to S01 and 30.00 to S03 (shares 0.25/0.75 since 1 January 2024).
    assert (counted["total"], counted["internal"]) == ("425.01", "0.00")
    assert {r["key"]: r["amount"] for r in counted["rows"]}["S03"] == "108.76"

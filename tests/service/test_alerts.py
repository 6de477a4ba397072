"""Alerts after imports, on a small city whose findings are worked out by hand.

Catalog: JZ-A (cost center 36050) → S01 0.25, S03 0.75; ST-D (36200) → S02; LK (36300, accounts
531*) → S01. Postings (spending accounts 5*), newest booking 15 March 2024:
  JZ-A 100.00 in each of January, February, March 2024     → S01 and S03 served every month
  ST-D 100.00 on 20 December 2023 only                      → S02 idle since then
  LK   nothing                                              → S01 never served by LK
  36300 / 501100  40.00 (LK's cost center, not its account) → looks like LK, matches nothing
  99999 / 529100 500.00 (no measure)                        → unattributed
2024: total 840.00, unattributed 540.00 (64 %) > 25 %. Idle window (2 months): Feb–Mar 2024.
A later export changes January's JZ-A posting from 100.00 to 120.00: January of 2024 changed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ledger.service_models import Alert
from monitor.service.scheduler import run_job
from tests.conftest import Monitor
from tests.exports import JOURNAL_HEADER, write_xlsx
from tests.service.conftest import City, SmtpServer, smtp_delivery

NOW = datetime(2024, 3, 20, 8, 0, tzinfo=UTC)


def _posting(doc: int, day: str, account: str, cost_center: str, amount: str) -> list[str]:
    return [day[-4:], str(doc), "1", day, account, "06.02.01", cost_center, "Buchung", amount]


POSTINGS = [
    _posting(1, "20.12.2023", "501100", "36200", "100,00"),
    _posting(2, "10.01.2024", "501100", "36050", "100,00"),
    _posting(3, "10.02.2024", "501100", "36050", "100,00"),
    _posting(4, "10.03.2024", "501100", "36050", "100,00"),
    _posting(5, "10.03.2024", "501100", "36300", "40,00"),
    _posting(6, "15.03.2024", "529100", "99999", "500,00"),
]


def import_master_data(city: City, tmp_path: Path) -> None:
    monitor = Monitor(city.database_url, city.folder)
    districts = write_xlsx(
        tmp_path / "districts.xlsx",
        [["Sozialraum", "Bezeichnung"], ["S01", "Nord"], ["S02", "Mitte"], ["S03", "Süd"]],
        sheet="Sozialräume",
    )
    monitor.json("import", "districts", str(districts))
    measures = write_xlsx(
        tmp_path / "measures.xlsx",
        [
            ["Maßnahme", "Bezeichnung", "Programm", "Kostenstelle", "Sachkonto"],
            ["JZ-A", "Jugendzentrum A", "Jugend", "36050", None],
            ["ST-D", "Stadtteilbüro D", "Quartier", "36200", None],
            ["LK", "Lernküche", "Bildung", "36300", "531*"],
        ],
        sheet="Maßnahmen",
    )
    from openpyxl import load_workbook

    book = load_workbook(measures)
    sheet = book.create_sheet("Zuordnung")
    for row in [
        ["Maßnahme", "Sozialraum", "Anteil", "Gültig ab", "Gültig bis", "Grundlage"],
        ["JZ-A", "S01", "0,25", None, None, "Teilnehmende"],
        ["JZ-A", "S03", "0,75", None, None, "Teilnehmende"],
        ["ST-D", "S02", 1, None, None, "Standort"],
        ["LK", "S01", 1, None, None, "Standort"],
    ]:
        sheet.append(row)
    book.save(measures)
    monitor.json("import", "measures", str(measures))


def _alerts(city: City) -> dict[tuple[str, str], str]:
    with city.service().engine.connect() as connection:
        rows = connection.execute(select(Alert).order_by(Alert.id)).all()
    return {(r.kind, r.subject): r.message for r in rows}


def test_import_raises_each_finding_once_and_mails_the_new_ones(
    city: City, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    city.configure(
        schedule="alert_idle_months = 2\nalert_email = true",
        delivery=smtp_delivery(smtp_server.port, recipients=("kaemmerei@stadt.example",)),
    )
    import_master_data(city, tmp_path)
    city.drop(write_xlsx(tmp_path / "journal.xlsx", [["Journal"], JOURNAL_HEADER, *POSTINGS]))
    runs = run_job(city.service(), "inbox", "schedule", NOW)
    assert [(r["job"], r["outcome"]) for r in runs] == [("inbox", "ok"), ("alerts", "ok")]

    alerts = _alerts(city)
    assert set(alerts) == {
        ("unattributed_share", "2024"),
        ("idle_measure", "ST-D/S02/2023-12-20"),
        ("idle_measure", "LK/S01/never"),
        ("unmatched_lookalike", "36300/501100"),
    }
    # In the service's language ([ui] lang, German by default), figures through Babel.
    share = alerts[("unattributed_share", "2024")]
    assert share.startswith("64\xa0% der Ausgaben 2024 (bis 15.03.2024) erreichen kein Quartier")
    assert "540,00\xa0€ von 840,00\xa0€" in share
    assert (
        "(02/2024 bis 03/2024); zuletzt dort: 20.12.2023"
        in (alerts[("idle_measure", "ST-D/S02/2023-12-20")])
    )
    assert "zuletzt dort: nie" in alerts[("idle_measure", "LK/S01/never")]
    lookalike = alerts[("unmatched_lookalike", "36300/501100")]
    assert "1 Buchung(en) 2024" in lookalike and "40,00\xa0€" in lookalike and "LK" in lookalike
    assert smtp_server.mailbox.to("kaemmerei@stadt.example") == 1

    # The same findings again: nothing new, no second e-mail.
    again = run_job(city.service(), "alerts", "manual", NOW)[0]
    assert (again["succeeded"], again["detail"]["findings"]) == (0, 4)
    assert smtp_server.mailbox.to("kaemmerei@stadt.example") == 1

    # A later export books January differently: that export is flagged.
    corrected = [_posting(2, "10.01.2024", "501100", "36050", "120,00")]
    city.drop(write_xlsx(tmp_path / "update.xlsx", [["Journal"], JOURNAL_HEADER, *corrected]))
    run_job(city.service(), "inbox", "schedule", NOW)
    changed = {k: v for k, v in _alerts(city).items() if k[0] == "export_changed"}
    [(subject, message)] = [(k[1], v) for k, v in changed.items()]
    assert subject == "batch 2/2024"
    assert "update.xlsx" in message and "2024-01: 100,00\xa0€ → 120,00\xa0€" in message
    assert smtp_server.mailbox.to("kaemmerei@stadt.example") == 2


def test_no_alerts_on_an_empty_ledger(city: City) -> None:
    result = run_job(city.service(), "alerts", "manual", NOW)[0]
    assert (result["outcome"], result["succeeded"]) == ("ok", 0)
    assert _alerts(city) == {}

"""Comparing an export with the ledger: inside the database (a temporary table of its keys), or,
where the key holds the fiscal year, with the current postings of its years in memory."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from imports.postings import parse_postings
from imports.profile import builtin_profiles
from ledger.current_keys import compare_years
from ledger.database import create_ledger_engine
from ledger.export_comparison import _month_spans, month_totals
from ledger.posting_queries import changed_versions, export_keys, missing_from_export
from ledger.posting_store import store_export
from ledger.schema import ensure_schema
from tests.exports import journal_rows, write_xlsx

LINES = [
    (1, 1, "15.01.2024", "501100", "10,00", "a"),
    (2, 1, "16.01.2024", "501100", "20,00", "b"),
    (3, 1, "17.01.2024", "501100", "30,00", "c"),
    (4, 1, "01.02.2024", "501100", "40,00", "d"),
]


def test_one_engine_compares_export_after_export_and_a_dry_run_leaves_nothing(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)

    def store(name: str, lines: list[tuple[int, int, str, str, str, str]], **options: bool):
        rows = journal_rows(lines)
        rows[0] = [f"Buchungsjournal 2024 ({name})"]  # other bytes for every export
        parsed = parse_postings(write_xlsx(tmp_path / name, rows), builtin_profiles())
        return store_export(engine, parsed, os_user="test", started=datetime.now(UTC), **options)

    first = store("first.xlsx", LINES)
    assert (first.imported, first.duplicates, first.corrections) == (4, 0, 0)
    # January again without documents 2 and 3, document 1 corrected, one new posting.
    later = [
        (1, 1, "15.01.2024", "501100", "11,00", "a"),
        (5, 1, "20.01.2024", "501100", "5,00", "e"),
    ]
    for dry_run in (True, False):  # the same connection from the pool, the same temporary table
        outcome = store("later.xlsx", later, dry_run=dry_run)
        assert (outcome.imported, outcome.duplicates, outcome.corrections) == (1, 0, 1)
        assert outcome.comparison is not None
        assert outcome.comparison.disappeared == 2  # February is not in the export: not missing
        assert [e["document_no"] for e in outcome.comparison.disappeared_examples] == ["2", "3"]
    again = store("again.xlsx", later)
    assert (again.imported, again.duplicates, again.corrections) == (0, 2, 0)
    assert again.comparison is not None and again.comparison.disappeared == 2
    engine.dispose()


def test_in_memory_comparison_finds_what_the_database_finds(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    started = datetime.now(UTC)
    lines = [*LINES, (6, 1, "02.02.2024", "501100", "60,00", "f")]
    first = parse_postings(
        write_xlsx(tmp_path / "first.xlsx", journal_rows(lines)), builtin_profiles()
    )
    store_export(engine, first, os_user="test", started=started)
    # Document 1 corrected once in the ledger and again in the export, 2 gone
    # from January, 6 gone from February, 5 new; March is not in the ledger.
    corrected = [(1, 1, "15.01.2024", "501100", "11,00", "a")]
    store_export(
        engine,
        parse_postings(
            write_xlsx(tmp_path / "c.xlsx", journal_rows(corrected)), builtin_profiles()
        ),
        os_user="test",
        started=started,
    )
    later = [
        (1, 1, "15.01.2024", "501100", "12,00", "a"),
        (3, 1, "17.01.2024", "501100", "30,00", "c"),
        (4, 1, "01.02.2024", "501100", "40,00", "d"),
        (5, 1, "03.03.2024", "501100", "5,00", "e"),
    ]
    export = parse_postings(
        write_xlsx(tmp_path / "later.xlsx", journal_rows(later)), builtin_profiles()
    )
    postings, totals = export.postings, month_totals(export.postings)
    with engine.begin() as connection:
        years = compare_years(connection, [2024], postings, totals, examples=10)
        in_memory = years.changed
        missing = (years.disappeared, years.example_ids)
        with export_keys(connection, postings):
            in_database = changed_versions(connection)
            count, examples = missing_from_export(connection, _month_spans(totals), 10)

    def by_key(frame):
        return sorted(
            frame[["key_hash", "posting_id", "version"]].astype(object).itertuples(index=False)
        )

    assert by_key(in_memory) == by_key(in_database)
    assert len(in_memory) == 2  # document 1 (its current version 2 differs) and the new 5
    assert missing[0] == count == 2
    assert len(missing[1]) == len(examples) == 2
    engine.dispose()

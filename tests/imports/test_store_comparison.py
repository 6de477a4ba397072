"""Comparing an export with the ledger: inside the database (a temporary table of its keys), or,
where the key holds the fiscal year, with the current postings of its years in memory."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, create_engine, make_url, text

from imports.postings import ParsedExport, parse_postings
from imports.profile import builtin_profiles
from ledger.current_keys import YearComparison, compare_years
from ledger.database import create_ledger_engine
from ledger.export_comparison import _month_spans, month_totals
from ledger.posting_queries import changed_versions, export_keys, missing_from_export
from ledger.posting_store import StoreOutcome, store_export
from ledger.schema import ensure_schema
from tests.exports import journal_rows, write_xlsx

LINES = [
    (1, 1, "15.01.2024", "501100", "10,00", "a"),
    (2, 1, "16.01.2024", "501100", "20,00", "b"),
    (3, 1, "17.01.2024", "501100", "30,00", "c"),
    (4, 1, "01.02.2024", "501100", "40,00", "d"),
]
Line = tuple[int, int, str, str, str, str]


def _parsed(path: Path, lines: list[Line]) -> ParsedExport:
    """The journal export of these lines, parsed; its title names the file, so that every
    export has other bytes."""
    rows = journal_rows(lines)
    rows[0] = [f"Buchungsjournal 2024 ({path.name})"]
    return parse_postings(write_xlsx(path, rows), builtin_profiles())


def _stored(engine: Engine, path: Path, lines: list[Line], **options: bool) -> StoreOutcome:
    return store_export(
        engine, _parsed(path, lines), os_user="test", started=datetime.now(UTC), **options
    )


def _compared_both_ways(
    engine: Engine, export: ParsedExport, examples: int
) -> tuple[YearComparison, pd.DataFrame, int, pd.DataFrame]:
    """The export against the ledger in memory (`compare_years`), and inside the database (a
    temporary table of its keys): changed keys, and the count and examples of missing postings."""
    postings, totals = export.postings, month_totals(export.postings)
    with engine.begin() as connection:
        years = compare_years(connection, [2024], postings, totals, examples)
        with export_keys(connection, postings):
            changed = changed_versions(connection)
            count, shown = missing_from_export(connection, _month_spans(totals), examples)
    return years, changed, count, shown


def test_one_engine_compares_export_after_export_and_a_dry_run_leaves_nothing(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)

    first = _stored(engine, tmp_path / "first.xlsx", LINES)
    assert (first.imported, first.duplicates, first.corrections) == (4, 0, 0)
    # January again without documents 2 and 3, document 1 corrected, one new posting.
    later = [
        (1, 1, "15.01.2024", "501100", "11,00", "a"),
        (5, 1, "20.01.2024", "501100", "5,00", "e"),
    ]
    for dry_run in (True, False):  # the same connection from the pool, the same temporary table
        outcome = _stored(engine, tmp_path / "later.xlsx", later, dry_run=dry_run)
        assert (outcome.imported, outcome.duplicates, outcome.corrections) == (1, 0, 1)
        assert outcome.comparison is not None
        assert outcome.comparison.disappeared == 2  # February is not in the export: not missing
        assert [e["document_no"] for e in outcome.comparison.disappeared_examples] == ["2", "3"]
    again = _stored(engine, tmp_path / "again.xlsx", later)
    assert (again.imported, again.duplicates, again.corrections) == (0, 2, 0)
    assert again.comparison is not None and again.comparison.disappeared == 2
    engine.dispose()


def test_in_memory_comparison_finds_what_the_database_finds(
    database_url: str, tmp_path: Path
) -> None:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    _stored(engine, tmp_path / "first.xlsx", [*LINES, (6, 1, "02.02.2024", "501100", "60,00", "f")])
    # Document 1 corrected once in the ledger and again in the export, 2 gone
    # from January, 6 gone from February, 5 new; March is not in the ledger.
    _stored(engine, tmp_path / "c.xlsx", [(1, 1, "15.01.2024", "501100", "11,00", "a")])
    later = [
        (1, 1, "15.01.2024", "501100", "12,00", "a"),
        (3, 1, "17.01.2024", "501100", "30,00", "c"),
        (4, 1, "01.02.2024", "501100", "40,00", "d"),
        (5, 1, "03.03.2024", "501100", "5,00", "e"),
    ]
    export = _parsed(tmp_path / "later.xlsx", later)
    years, in_database, count, examples = _compared_both_ways(engine, export, 10)
    in_memory = years.changed
    missing = (years.disappeared, years.example_ids)

    def by_key(frame):
        return sorted(
            frame[["key_hash", "posting_id", "version"]].astype(object).itertuples(index=False)
        )

    assert by_key(in_memory) == by_key(in_database)
    assert len(in_memory) == 2  # document 1 (its current version 2 differs) and the new 5
    assert missing[0] == count == 2
    assert len(missing[1]) == len(examples) == 2
    engine.dispose()


def test_many_corrected_gone_and_new_postings_are_all_found(
    database_url: str, tmp_path: Path
) -> None:
    """Corrections, postings gone and new ones in numbers, each taken from its posting's one
    text (id, version, booking month): both ways of comparing agree."""
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    lines = [(n, 1, f"{1 + n % 28:02d}.01.2024", "501100", f"{n},00", "x") for n in range(1, 61)]
    _stored(engine, tmp_path / "first.xlsx", lines)
    # 20 corrected, 20 gone, 20 unchanged, 5 new.
    later = [
        (n, 1, f"{1 + n % 28:02d}.01.2024", "501100", f"{n},50" if n <= 20 else f"{n},00", "x")
        for n in [*range(1, 21), *range(41, 61), *range(61, 66)]
    ]
    export = _parsed(tmp_path / "later.xlsx", later)
    years, in_database, count, examples = _compared_both_ways(engine, export, 3)

    assert len(years.changed) == 25
    assert int(years.changed["posting_id"].notna().sum()) == 20
    assert sorted(years.changed["key_hash"]) == sorted(in_database["key_hash"])
    assert years.disappeared == count == 20
    assert years.example_ids == sorted(years.example_ids)
    assert len(years.example_ids) == len(examples) == 3
    engine.dispose()


def test_only_codes_of_new_and_corrected_rows_can_be_new(database_url: str, tmp_path: Path) -> None:
    """A row that duplicates its posting has that posting's codes; a code of a new row is new
    unless a posting, or another row of the export, already has it."""
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    _stored(engine, tmp_path / "first.xlsx", LINES)
    later = [
        *LINES,
        (5, 1, "20.01.2024", "501100", "5,00", "e"),  # new row, known account
        (6, 1, "21.01.2024", "529100", "6,00", "f"),  # new row, new account
        (1, 1, "15.01.2024", "531800", "10,00", "a"),  # document 1 corrected: new account
    ][1:]  # the first line of LINES is replaced by its correction
    outcome = _stored(engine, tmp_path / "later.xlsx", later)
    assert (outcome.imported, outcome.duplicates, outcome.corrections) == (2, 3, 1)
    assert outcome.comparison is not None
    assert outcome.comparison.new_accounts == ("529100", "531800")
    again = _stored(engine, tmp_path / "again.xlsx", later)
    assert again.comparison is not None and again.comparison.new_accounts == ()
    engine.dispose()


def test_a_months_export_finds_a_correction_booked_in_another_month(
    database_url: str, tmp_path: Path
) -> None:
    """February's export against a ledger of January and February: a posting it moved from
    January is found as a correction of its January version, February's missing posting as
    gone, and January's untouched postings are not counted as gone."""
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    _stored(engine, tmp_path / "first.xlsx", LINES)  # documents 1-3 in January, 4 in February
    later = [
        (3, 1, "03.02.2024", "501100", "30,00", "c"),  # document 3 moved to February
        (5, 1, "05.02.2024", "501100", "5,00", "e"),  # new; document 4 is gone
    ]
    export = _parsed(tmp_path / "later.xlsx", later)
    years, in_database, count, _ = _compared_both_ways(engine, export, 10)

    postings = export.postings
    by_key = postings.set_index("key_hash")["document_no"]
    changed = years.changed.assign(document=years.changed["key_hash"].map(by_key))
    assert sorted(changed[changed["posting_id"].notna()]["document"]) == ["3"]
    assert sorted(changed[changed["posting_id"].isna()]["document"]) == ["5"]
    assert sorted(years.changed["key_hash"]) == sorted(in_database["key_hash"])
    assert years.disappeared == count == 1
    engine.dispose()


def test_a_server_writing_german_dates_compares_the_same(
    postgres_server: str, tmp_path: Path
) -> None:
    """The comparison reads booking months from dates cast to text; the engine makes them ISO
    even where the server's (or the role's) DateStyle is German, 31.01.2024."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    options = f"-csearch_path={schema} -cDateStyle=German"
    url = make_url(postgres_server).update_query_dict({"options": options})
    engine = create_ledger_engine(url.render_as_string(hide_password=False))
    try:
        ensure_schema(engine)
        with engine.connect() as connection:
            assert connection.execute(text("SHOW DateStyle")).scalar_one() == "ISO, YMD"
        _stored(engine, tmp_path / "first.xlsx", LINES)  # documents 1-3 in January, 4 in February
        later = [(4, 1, "01.02.2024", "501100", "41,00", "d")]  # February: document 4 corrected
        years, in_database, count, _ = _compared_both_ways(
            engine, _parsed(tmp_path / "later.xlsx", later), 10
        )
        assert sorted(years.changed["key_hash"]) == sorted(in_database["key_hash"])
        assert years.changed["posting_id"].notna().all()
        assert years.disappeared == count == 0  # January is not in the export
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

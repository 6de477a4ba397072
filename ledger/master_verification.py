"""Check master-data rows against their hashes, and collect each import's hashes for its seal.

The full verification checks every row. The figure commands' incremental one checks the rows of
the imports after the last verified one (`after`) and only counts the older imports' rows
(`master_row_counts`), unless the trip wire (`ledger.trip_wire`) counted a write to master data
outside the program since: then it checks every row too (`ledger.verification`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from ledger.master_models import MasterImport
from ledger.master_seal import MASTER_ROW_FIELDS, row_hashes, row_label
from ledger.master_tables import MASTER_MODELS
from ledger.verify_problems import verify_problem


@dataclass
class MasterRows:
    """What the master-data tables hold: each import's stored row hashes, rows that do not match
    their hash, rows of imports that are not in the ledger."""

    hashes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    problems: list[dict[str, object]] = field(default_factory=list)
    rows: int = 0


def master_imports(connection: Connection) -> list[dict[str, object]]:
    """Every master import's record, oldest first."""
    result = connection.execute(select(MasterImport.__table__).order_by(MasterImport.id))
    return [dict(row) for row in result.mappings()]


def master_row_counts(connection: Connection, upto: int) -> dict[int, int]:
    """How many master-data rows each import up to `upto` holds, counted by the database."""
    counts: dict[int, int] = defaultdict(int)
    for model in MASTER_MODELS.values():
        column = model.__table__.c.import_id
        for import_id, count in connection.execute(
            select(column, func.count()).where(column <= upto).group_by(column)
        ):
            counts[import_id] += count
    return counts


def check_master_rows(connection: Connection, known: set[int], after: int = 0) -> MasterRows:
    """Recompute the hash of every master-data row of the imports after `after`; `known`: the
    ids of the master imports."""
    found = MasterRows()
    orphans: dict[int, int] = defaultdict(int)
    for table, model in MASTER_MODELS.items():
        names = (*MASTER_ROW_FIELDS[table], "row_hash")
        table_columns = model.__table__.c
        rows = connection.execute(
            select(*(table_columns[name] for name in names)).where(table_columns.import_id > after)
        ).all()
        if not rows:
            continue
        columns = dict(
            zip(names, (list(values) for values in zip(*rows, strict=True)), strict=True)
        )
        found.rows += len(rows)
        computed = row_hashes(table, columns)
        for index, (import_id, stored) in enumerate(
            zip(columns["import_id"], columns["row_hash"], strict=True)
        ):
            found.hashes[import_id].append(stored)
            if import_id not in known:
                orphans[import_id] += 1
            elif computed[index] != stored:
                row = {name: columns[name][index] for name in names}
                found.problems.append(
                    verify_problem(
                        "master_changed",
                        "master_row_changed",
                        {"master_import": import_id, "table": table},
                        number=import_id,
                        row=row_label(table, row),
                    )
                )
    for import_id, count in sorted(orphans.items()):
        found.problems.append(
            verify_problem(
                "master_import",
                "master_orphans",
                {"master_import": import_id},
                count=count,
                number=import_id,
            )
        )
    return found

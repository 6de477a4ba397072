"""Check every master-data row against its hash, and collect each import's hashes for its seal.

Master data is small (thousands to a few hundred thousand rows), so it is checked whole by every
verification, the incremental one of the figure commands included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from ledger.master_models import (
    MasterImport,
)
from ledger.master_seal import MASTER_ROW_FIELDS, row_hashes, row_label
from ledger.master_tables import MASTER_MODELS


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


def check_master_rows(connection: Connection, known: set[int]) -> MasterRows:
    """Recompute every master-data row's hash; `known`: the ids of the master imports."""
    found = MasterRows()
    orphans: dict[int, int] = defaultdict(int)
    for table, model in MASTER_MODELS.items():
        names = (*MASTER_ROW_FIELDS[table], "row_hash")
        rows = connection.execute(select(*(model.__table__.c[name] for name in names))).all()
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
                    {
                        "kind": "master_changed",
                        "master_import": import_id,
                        "table": table,
                        "message": f"master import {import_id}: {row_label(table, row)} was "
                        "changed or inserted outside the program",
                    }
                )
    for import_id, count in sorted(orphans.items()):
        found.problems.append(
            {
                "kind": "master_import",
                "master_import": import_id,
                "message": f"{count} master-data row(s) refer to master import {import_id}, "
                "which is not in the ledger",
            }
        )
    return found

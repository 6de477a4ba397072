"""`verify`: recompute the hash chain and name every row changed, added or removed.

Postings, batches and master data (`ledger.master_seal`) form one sequence of seals; the head is
the newest seal, a batch's or a master import's.

The chain proves that nothing changed since a head you know: keep the `head` that `verify` (and
every report's provenance appendix) prints somewhere outside the database. Someone able to
rewrite the database *and* recompute every hash after it can only be caught by comparing heads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from ledger.integrity import (
    GENESIS,
    POSTING_SEALED_FIELDS,
    batch_seal,
    link,
    posting_digests,
)
from ledger.master_seal import SealedEvent, master_seal, sequence
from ledger.master_verification import check_master_rows, master_imports
from ledger.models import ImportBatch, Posting

_STREAM = 20_000


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    batches: int
    postings: int
    head: str
    problems: tuple[dict[str, object], ...] = field(default=())
    master_imports: int = 0
    master_rows: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "batches": self.batches,
            "postings": self.postings,
            "master_imports": self.master_imports,
            "master_rows": self.master_rows,
            "head": self.head,
            "problems": list(self.problems),
        }


def verify_ledger(engine: Engine) -> VerifyReport:
    problems: list[dict[str, object]] = []
    heads: dict[int, str] = {}  # batch id -> chain hash after its last posting
    counts: dict[int, int] = {}
    previous_id, previous_chain, total = 0, GENESIS, 0
    columns = [getattr(Posting, name) for name in (*POSTING_SEALED_FIELDS, "chain_hash")]
    with engine.connect() as connection:
        rows = connection.execution_options(yield_per=_STREAM).execute(
            select(*columns).order_by(Posting.id)
        )
        for chunk in rows.partitions():
            columns = dict(zip(rows.keys(), zip(*chunk, strict=True), strict=True))
            digests = posting_digests(columns)
            for posting_id, batch_id, stored, row_digest in zip(
                columns["id"], columns["batch_id"], columns["chain_hash"], digests, strict=True
            ):
                total += 1
                if link(previous_chain, row_digest) != stored:
                    problems.append(_posting_problem(posting_id, previous_id))
                previous_id, previous_chain = posting_id, stored
                heads[batch_id] = previous_chain
                counts[batch_id] = counts.get(batch_id, 0) + 1
        batches = {
            batch["id"]: dict(batch)
            for batch in connection.execute(
                select(ImportBatch.__table__).order_by(ImportBatch.id)
            ).mappings()
        }
        masters = {record["id"]: record for record in master_imports(connection)}
        rows_found = check_master_rows(connection, set(masters))
    problems.extend(rows_found.problems)
    events = [SealedEvent("batch", b["id"], b["id"], b["seal"]) for b in batches.values()]
    events += [
        SealedEvent("master", m["id"], m["after_batch"], m["seal"]) for m in masters.values()
    ]
    seal, head = GENESIS, GENESIS
    for event in sequence(events):
        if event.kind == "batch":
            batch = batches[event.id]
            head = heads.get(batch["id"], head)
            problem = _batch_problem(batch, seal, head, counts.get(batch["id"], 0))
        else:
            problem = _master_problem(
                masters[event.id], seal, rows_found.hashes.get(event.id, []), batches
            )
        if problem:
            problems.append(problem)
        seal = event.seal
    for batch_id in sorted(set(counts) - set(batches)):
        problems.append(
            {
                "kind": "batch",
                "batch": batch_id,
                "message": f"postings refer to batch {batch_id}, which is not in the ledger",
            }
        )
    return VerifyReport(
        not problems, len(batches), total, seal, tuple(problems), len(masters), rows_found.rows
    )


def _batch_problem(
    batch: dict[str, object], previous: str, head: str, found: int
) -> dict[str, object] | None:
    if found != batch["postings"]:
        return {
            "kind": "batch",
            "batch": batch["id"],
            "message": f"batch {batch['id']} sealed {batch['postings']} postings, "
            f"the ledger holds {found}",
        }
    if batch_seal(batch, previous, head, found) != batch["seal"]:
        return {
            "kind": "batch",
            "batch": batch["id"],
            "message": f"batch {batch['id']}: its record or its postings were changed "
            "outside the program (seal does not match)",
        }
    return None


def _master_problem(
    record: dict[str, object],
    previous: str,
    hashes: list[str],
    batches: dict[int, dict[str, object]],
) -> dict[str, object] | None:
    number, kind = record["id"], record["kind"]
    after = record["after_batch"]
    if after and after not in batches:
        message = (
            f"master import {number} ({kind}) was written after batch {after}, which is not "
            "in the ledger (batch removed outside the program)"
        )
    elif len(hashes) != record["sealed_rows"]:
        message = (
            f"master import {number} ({kind}) sealed {record['sealed_rows']} rows, the ledger "
            f"holds {len(hashes)} (rows removed or inserted outside the program)"
        )
    elif master_seal(record, previous, sorted(hashes)) != record["seal"]:
        message = (
            f"master import {number} ({kind}): its record or its rows were changed outside the "
            "program, or an import before it was removed (seal does not match)"
        )
    else:
        return None
    return {"kind": "master_import", "master_import": number, "message": message}


def _posting_problem(posting_id: int, previous_id: int) -> dict[str, object]:
    if posting_id != previous_id + 1:
        missing = (
            f"posting {previous_id + 1}"
            if posting_id == previous_id + 2
            else f"postings {previous_id + 1}–{posting_id - 1}"
        )
        return {
            "kind": "deleted",
            "posting": posting_id,
            "message": f"{missing} removed outside the program (chain broken before "
            f"posting {posting_id})",
        }
    return {
        "kind": "changed",
        "posting": posting_id,
        "message": f"posting {posting_id} was changed or inserted outside the program",
    }

"""`verify`: recompute the hash chain and name every row changed, added or removed.

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
from ledger.models import ImportBatch, Posting

_STREAM = 20_000


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    batches: int
    postings: int
    head: str
    problems: tuple[dict[str, object], ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "batches": self.batches,
            "postings": self.postings,
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
        batches = connection.execute(select(ImportBatch.__table__).order_by(ImportBatch.id))
        seal, head, number, known = GENESIS, GENESIS, 0, set()
        for batch in batches.mappings():
            number += 1
            known.add(batch["id"])
            head = heads.get(batch["id"], head)
            found = counts.get(batch["id"], 0)
            if found != batch["postings"]:
                problems.append(
                    {
                        "kind": "batch",
                        "batch": batch["id"],
                        "message": f"batch {batch['id']} sealed {batch['postings']} postings, "
                        f"the ledger holds {found}",
                    }
                )
            elif batch_seal(batch, seal, head, found) != batch["seal"]:
                problems.append(
                    {
                        "kind": "batch",
                        "batch": batch["id"],
                        "message": f"batch {batch['id']}: its record or its postings were changed "
                        "outside the program (seal does not match)",
                    }
                )
            seal = batch["seal"]
    for batch_id in sorted(set(counts) - known):
        problems.append(
            {
                "kind": "batch",
                "batch": batch_id,
                "message": f"postings refer to batch {batch_id}, which is not in the ledger",
            }
        )
    return VerifyReport(not problems, number, total, seal, tuple(problems))


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

"""`verify`: recompute the hash chain and name every row changed, added or removed.

Postings, batches and master data (`ledger.master_seal`) form one sequence of seals; the head is
the newest seal, a batch's or a master import's.

The chain proves that nothing changed since a head you know: keep the `head` that `verify` (and
every report's provenance appendix) prints somewhere outside the database, or let the imports
append it to `[ledger] anchor_file`. A head known from outside must be one of the ledger's
seals: where it is not, the newest imports were removed or the history was rewritten (someone
able to rewrite the database *and* recompute every hash after it is caught only this way).

Two scopes for postings: `full` hashes every posting; `incremental` (the figure commands)
hashes only the postings and batches after the point where the chain was last verified
(`ChainCheck`), and falls back to full where that point no longer holds. Master data is small
next to the postings and is hashed whole in both scopes, every time (SPEC §6): every row of every
master import, every import's seal. Both also check every head known from outside, the head of
the latest report run and the trip wire itself (`ledger.trip_wire`, whose counted writes to
master data a passing whole re-hash settles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DBAPIError

from ledger.database import write_transaction
from ledger.integrity import (
    GENESIS,
    POSTING_SEALED_FIELDS,
    batch_seal,
    link,
    posting_digests,
)
from ledger.master_models import ReportRun
from ledger.master_seal import SealedEvent, import_kind, master_seal, sequence
from ledger.master_verification import check_master_rows, master_imports
from ledger.models import ChainCheck, ImportBatch, Posting
from ledger.trip_wire import MASTER_TABLES, foreign_writes, integrity_problems, settle
from ledger.verify_problems import part, verify_problem

_STREAM = 20_000


@dataclass(frozen=True)
class KnownHead:
    """A head known from outside the ledger's own rows, and where it came from ("--head",
    "anchor file /srv/anchor.txt", "report run 3"); `said` is the same as a part
    (ledger.verify_problems) that each language words."""

    source: str
    head: str
    said: dict[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def given(cls, head: str) -> KnownHead:
        return cls("--head", head, part("head_from_option"))

    @classmethod
    def anchored(cls, anchor: object, head: str) -> KnownHead:
        return cls(f"anchor file {anchor}", head, part("head_from_anchor", file=str(anchor)))

    @classmethod
    def reported(cls, run: int, head: str) -> KnownHead:
        return cls(f"report run {run}", head, part("head_from_report", run=run))


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    batches: int
    postings: int
    head: str
    problems: tuple[dict[str, object], ...] = field(default=())
    master_imports: int = 0
    master_rows: int = 0
    scope: str = "full"
    # Incremental: postings after this id were hashed (0 for a full verification).
    checked_after_posting: int = 0
    heads: tuple[dict[str, object], ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "batches": self.batches,
            "postings": self.postings,
            "master_imports": self.master_imports,
            "master_rows": self.master_rows,
            "head": self.head,
            "scope": self.scope,
            "checked_after_posting": self.checked_after_posting,
            "heads": list(self.heads),
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class _Start:
    """Where posting hashing starts: after posting `posting_id` (chain `chain`), with batches
    up to `batch_id` taken as verified, `postings` rows up to it; the newest master import
    then (`master_id`, sealed `master_seal`), which must still be there for the point to hold
    (master data itself is hashed whole every time)."""

    posting_id: int = 0
    chain: str = GENESIS
    batch_id: int = 0
    postings: int = 0
    full_at: datetime | None = None
    master_id: int = 0
    master_seal: str = ""


def verify_ledger(
    engine: Engine,
    *,
    heads: tuple[KnownHead, ...] = (),
    incremental: bool = False,
    record: bool = True,
) -> VerifyReport:
    """Verify the chain (see the module's docstring); `record`: note where it now verifies, for
    the next incremental check (skipped silently on a ledger this user may only read)."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # One snapshot for every query: an import committing meanwhile is not half seen.
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            report, end, seal, tripped = _verify(connection, heads, incremental)
    if report.ok and record:
        _record(engine, end, seal, tripped)
    return report


def _verify(
    connection: Connection, known: tuple[KnownHead, ...], incremental: bool
) -> tuple[VerifyReport, _Start, str, dict[str, dict[str, object]]]:
    """The report, where the chain verified up to, the newest batch's seal, and the foreign
    writes to master data this verification accounted for."""
    batches = {
        batch["id"]: dict(batch)
        for batch in connection.execute(
            select(ImportBatch.__table__).order_by(ImportBatch.id)
        ).mappings()
    }
    masters = {record["id"]: record for record in master_imports(connection)}
    start = _checkpoint(connection, batches, masters) if incremental else _Start()
    problems, heads, counts, total, newest = _check_postings(connection, start)
    # Read before the re-hash: writes counted later are not accounted for by it.
    tripped = foreign_writes(connection, MASTER_TABLES)
    rows_found = check_master_rows(connection, set(masters))
    problems.extend(rows_found.problems)
    problems.extend(integrity_problems(connection))
    events = [SealedEvent("batch", b["id"], b["id"], b["seal"]) for b in batches.values()]
    events += [
        SealedEvent("master", m["id"], m["after_batch"], m["seal"]) for m in masters.values()
    ]
    seal, head = GENESIS, start.chain
    for event in sequence(events):
        problem = None
        if event.kind == "batch" and event.id > start.batch_id:
            batch = batches[event.id]
            head = heads.get(batch["id"], head)
            problem = _batch_problem(batch, seal, head, counts.get(batch["id"], 0))
        elif event.kind == "master":
            hashes = rows_found.hashes.get(event.id, [])
            problem = _master_problem(masters[event.id], seal, hashes, batches)
        if problem:
            problems.append(problem)
        seal = event.seal
    for batch_id in sorted(set(counts) - set(batches)):
        problems.append(
            verify_problem("batch", "unknown_batch", {"batch": batch_id}, batch=batch_id)
        )
    for batch_id in sorted(b for b in set(counts) & set(batches) if b <= start.batch_id):
        problems.append(
            verify_problem("batch", "added_after_verified", {"batch": batch_id}, batch=batch_id)
        )
    checked_heads = _check_heads(connection, known, {GENESIS, *(e.seal for e in events)})
    problems.extend(h["problem"] for h in checked_heads if "problem" in h)
    report = VerifyReport(
        ok=not problems,
        batches=len(batches),
        postings=start.postings + total,
        head=seal,
        problems=tuple(problems),
        master_imports=len(masters),
        master_rows=rows_found.rows,
        scope="incremental" if incremental and start.posting_id + start.batch_id else "full",
        checked_after_posting=start.posting_id,
        heads=tuple({k: v for k, v in h.items() if k != "problem"} for h in checked_heads),
    )
    newest_batch = max(batches, default=0)
    newest_master = max(masters, default=0)
    end = _Start(
        newest[0],
        newest[1],
        newest_batch,
        report.postings,
        None if report.scope == "full" else start.full_at,
        newest_master,
        str(masters[newest_master]["seal"]) if newest_master else "",
    )
    return report, end, batches[newest_batch]["seal"] if newest_batch else GENESIS, tripped


def _checkpoint(
    connection: Connection,
    batches: dict[int, dict[str, object]],
    masters: dict[int, dict[str, object]],
) -> _Start:
    """Where the last verification ended, if the ledger still holds it there; else the start
    (a full verification, which names what changed)."""
    found = connection.execute(select(ChainCheck)).first()
    if found is None:
        return _Start()
    chain = connection.execute(
        select(Posting.chain_hash).where(Posting.id == found.posting_id)
    ).scalar()
    batch = batches.get(found.batch_id)
    master = masters.get(found.master_import_id)
    holds = (
        (found.posting_id == 0 or chain == found.chain_hash)
        and (found.batch_id == 0 or (batch is not None and batch["seal"] == found.seal))
        and (
            found.master_import_id == 0
            or (master is not None and master["seal"] == found.master_seal)
        )
    )
    if not holds:
        return _Start()
    return _Start(
        found.posting_id,
        found.chain_hash if found.posting_id else GENESIS,
        found.batch_id,
        found.postings,
        found.full_at,
        found.master_import_id,
        found.master_seal,
    )


def _check_postings(
    connection: Connection, start: _Start
) -> tuple[list[dict[str, object]], dict[int, str], dict[int, int], int, tuple[int, str]]:
    """Hash the postings after `start`: (problems, batch -> chain hash after its last posting,
    batch -> postings, postings hashed, (newest posting id, its chain hash))."""
    problems: list[dict[str, object]] = []
    heads: dict[int, str] = {}
    counts: dict[int, int] = {}
    previous_id, previous_chain, total = start.posting_id, start.chain, 0
    columns = [getattr(Posting, name) for name in (*POSTING_SEALED_FIELDS, "chain_hash")]
    rows = connection.execution_options(yield_per=_STREAM).execute(
        select(*columns).where(Posting.id > start.posting_id).order_by(Posting.id)
    )
    for chunk in rows.partitions():
        values = dict(zip(rows.keys(), zip(*chunk, strict=True), strict=True))
        digests = posting_digests(values)
        for posting_id, batch_id, stored, row_digest in zip(
            values["id"], values["batch_id"], values["chain_hash"], digests, strict=True
        ):
            total += 1
            if link(previous_chain, row_digest) != stored:
                problems.append(_posting_problem(posting_id, previous_id))
            previous_id, previous_chain = posting_id, stored
            heads[batch_id] = previous_chain
            counts[batch_id] = counts.get(batch_id, 0) + 1
    return problems, heads, counts, total, (previous_id, previous_chain)


def _check_heads(
    connection: Connection, known: tuple[KnownHead, ...], seals: set[str]
) -> list[dict[str, object]]:
    """Each head known from outside, and the latest report run's, must be one of the ledger's
    seals: then the ledger extends it."""
    latest = connection.execute(
        select(ReportRun.id, ReportRun.ledger_head).order_by(ReportRun.id.desc()).limit(1)
    ).first()
    if latest is not None:
        known = (*known, KnownHead.reported(latest.id, latest.ledger_head))
    checked = []
    for given in known:
        entry: dict[str, object] = {
            "source": given.source,
            "source_said": given.said,
            "head": given.head,
        }
        entry["extended"] = given.head in seals
        if not entry["extended"]:
            entry["problem"] = verify_problem(
                "head",
                "head_not_extended",
                {"source": given.source},
                head=given.head,
                source=given.said,
            )
        checked.append(entry)
    return checked


def _record(engine: Engine, end: _Start, seal: str, tripped: dict[str, dict[str, object]]) -> None:
    """Note where the chain verified (as the verification's snapshot saw it: an import that
    committed since is checked next time), and settle the foreign writes to master data that
    its full re-hash of master data accounted for; a ledger this user may only read keeps no
    note."""
    now = datetime.now(UTC)
    values = {
        "batch_id": end.batch_id,
        "seal": seal,
        "posting_id": end.posting_id,
        "chain_hash": end.chain,
        "postings": end.postings,
        "verified_at": now,
        "full_at": end.full_at or now,
        "master_import_id": end.master_id,
        "master_seal": end.master_seal,
    }
    point = (end.posting_id, end.batch_id, seal, end.master_id)
    try:
        with write_transaction(engine) as connection:
            settle(connection, tripped)
            found = connection.execute(select(ChainCheck)).first()
            if found is None:
                connection.execute(insert(ChainCheck).values(id=1, **values))
            elif end.full_at is None or point != (
                found.posting_id,
                found.batch_id,
                found.seal,
                found.master_import_id,
            ):
                connection.execute(update(ChainCheck).values(**values))
    except DBAPIError:
        return


def _batch_problem(
    batch: dict[str, object], previous: str, head: str, found: int
) -> dict[str, object] | None:
    about = {"batch": batch["id"]}
    if found != batch["postings"]:
        return verify_problem(
            "batch", "batch_count", about, batch=batch["id"], sealed=batch["postings"], found=found
        )
    if batch_seal(batch, previous, head, found) != batch["seal"]:
        return verify_problem("batch", "batch_seal", about, batch=batch["id"])
    return None


def _master_problem(
    record: dict[str, object],
    previous: str,
    hashes: list[str],
    batches: dict[int, dict[str, object]],
) -> dict[str, object] | None:
    """What is wrong with one master import, given its rows' stored hashes (each checked
    against its row by `check_master_rows`)."""
    number, kind = record["id"], record["kind"]
    after = record["after_batch"]
    about = {"master_import": number}
    if after and after not in batches:
        return verify_problem(
            "master_import",
            "master_after_missing_batch",
            about,
            number=number,
            kind=import_kind(kind),
            after=after,
        )
    if len(hashes) != record["sealed_rows"]:
        return verify_problem(
            "master_import",
            "master_count",
            about,
            number=number,
            kind=import_kind(kind),
            sealed=record["sealed_rows"],
            found=len(hashes),
        )
    if master_seal(record, previous, sorted(hashes)) != record["seal"]:
        return verify_problem(
            "master_import", "master_seal", about, number=number, kind=import_kind(kind)
        )
    return None


def _posting_problem(posting_id: int, previous_id: int) -> dict[str, object]:
    about = {"posting": posting_id}
    if posting_id == previous_id + 2:
        return verify_problem(
            "deleted", "posting_removed", about, first=previous_id + 1, posting=posting_id
        )
    if posting_id != previous_id + 1:
        return verify_problem(
            "deleted",
            "postings_removed",
            about,
            first=previous_id + 1,
            last=posting_id - 1,
            posting=posting_id,
        )
    return verify_problem("changed", "posting_changed", about, posting=posting_id)

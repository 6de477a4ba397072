"""The alerts job: after imports, what in the ledger needs a human.

Each finding is (kind, subject, message); the `alert` table's UNIQUE (kind, subject) keeps one
row per finding however often the job runs, and the row waits there for the next report. The
message is worded from the catalogue ("alert.<kind>") in the service's language (`[ui] lang`,
German by default) when the finding is made: it is what `status` and the e-mail show. The
figures come from the ledger's own functions (`spend`, `tag_spending`, `catalog`, the tagging
rules, `batch_month_total`), so an alert and `budget-monitor spend` never disagree.

Months are counted back from the newest booking in the ledger, not from today: a finance office
that exports monthly would otherwise see every measure "idle" while the next export is late.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from imports.money import format_cents
from ledger.models import BatchMonthTotal, ImportBatch, Posting
from ledger.posting_queries import current_filter
from ledger.service_models import Alert
from ledger.spending import Tagged, account_condition, spend, tag_spending
from ledger.tagging import Rule
from monitor.service.mail import send_to_all
from monitor.service.runs import (
    JobOutcome,
    ServiceContext,
    insert_ignoring_duplicates,
    service_transaction,
)
from monitor.settings import Settings
from monitor.terminal_format import Terminal

log = logging.getLogger("monitor.service.alerts")

Finding = tuple[str, str, str]  # kind, subject, message


def run_alerts_job(service: ServiceContext, now: datetime) -> JobOutcome:
    """Find, store what is new, and (with alert_email) e-mail the new ones."""
    t = service.app.terminal
    with service.engine.connect() as connection:
        findings = find_alerts(connection, service.settings, t)
    new = raise_alerts(service.engine, findings, now)
    failed = 0
    schedule, delivery = service.settings.schedule, service.settings.delivery
    if new and schedule.alert_email and delivery.recipients:
        try:
            send_to_all(
                delivery,
                service.credentials,
                delivery.recipients,
                t("alert.mail.subject", count=t.count(len(new))),
                "\n\n".join(f"[{kind}] {message}" for kind, _, message in new)
                + "\n\n"
                + t("alert.mail.footer")
                + "\n",
            )
        except Exception as exc:  # the alerts stay in the table for the report either way
            failed = 1
            log.warning("could not e-mail %d new alert(s): %s", len(new), exc)
    return JobOutcome(
        succeeded=len(new),
        failed=failed,
        detail={"new": [f"{k} {s}" for k, s, _ in new], "findings": len(findings)},
    )


def raise_alerts(engine: Engine, findings: Iterable[Finding], now: datetime) -> list[Finding]:
    """Store the findings not stored before; returns those (each also logged as a warning)."""
    new = []
    with service_transaction(engine) as connection:
        for kind, subject, message in findings:
            statement = insert_ignoring_duplicates(connection, Alert, ("kind", "subject")).values(
                kind=kind, subject=subject[:300], message=message, created=now
            )
            if connection.execute(statement.returning(Alert.id)).first() is not None:
                new.append((kind, subject, message))
    for kind, _, message in new:
        log.warning("alert %s: %s", kind, message)
    return new


def find_alerts(connection: Connection, settings: Settings, t: Terminal) -> list[Finding]:
    """Every finding the ledger holds now, worded by `t`."""
    patterns = settings.ledger.spending_patterns
    schedule = settings.schedule
    findings = changed_exports(connection, t)
    span = connection.execute(
        select(func.min(Posting.booking_date), func.max(Posting.booking_date)).where(
            current_filter(), account_condition(patterns)
        )
    ).one()
    if span[0] is None:
        return findings
    first, last = span
    tagged = tag_spending(connection, patterns, first, last, None)
    threshold = schedule.alert_unattributed_share
    findings += unattributed_share(connection, patterns, last, threshold, t)
    findings += idle_measures(tagged, first, last, schedule.alert_idle_months, t)
    findings += unmatched_lookalikes(tagged, last.year, t)
    return findings


def unattributed_share(
    connection: Connection, patterns: tuple[str, ...], last: date, threshold: float, t: Terminal
) -> list[Finding]:
    """The newest year's spending that reaches no district, as a share of its total."""
    year = last.year
    figures = spend(connection, "district", date(year, 1, 1), last, patterns)
    total, unattributed = Decimal(figures["total"]), Decimal(figures["unattributed"])
    if total <= 0 or unattributed / total <= Decimal(str(threshold)):
        return []
    share = unattributed / total
    return [
        (
            "unattributed_share",
            str(year),
            t(
                "alert.unattributed_share",
                share=t.fmt.percent(float(share), 0),
                year=year,
                last=t.day(last),
                unattributed=t.money(unattributed),
                total=t.money(total),
                threshold=t.fmt.percent(threshold, 0),
            ),
        )
    ]


def idle_measures(
    tagged: Tagged, first: date, last: date, months: int, t: Terminal
) -> list[Finding]:
    """A running measure that spent nothing in one of its target districts for `months` months.

    Only measures and allocations in force over the whole window count (a measure that began
    two months ago cannot have been idle for six), and only when the ledger covers the window.
    """
    window_start = (pd.Timestamp(last).to_period("M") - (months - 1)).start_time.date()
    if first > window_start or tagged.measures.empty or tagged.allocations.empty:
        return []
    measures = tagged.measures
    running = measures[
        _on_or_before(measures["start_date"], window_start)
        & _on_or_after(measures["end_date"], last)
    ]
    targets = tagged.allocations[
        tagged.allocations["measure"].isin(running["code"])
        & _on_or_before(tagged.allocations["valid_from"], window_start)
        & _on_or_after(tagged.allocations["valid_to"], last)
    ][["measure", "district"]].drop_duplicates()
    if targets.empty:
        return []
    spent = tagged.allocation[
        tagged.allocation["district"].notna() & (tagged.allocation["allocated_cents"] > 0)
    ].merge(tagged.postings[["id", "booking_date"]], left_on="posting_id", right_on="id")
    last_spent = (
        spent.groupby(["measure", "district"], as_index=False)["booking_date"]
        .max()
        .rename(columns={"booking_date": "last_spent"})
    )
    targets = targets.merge(last_spent, on=["measure", "district"], how="left")
    idle = targets[
        targets["last_spent"].isna()
        | (pd.to_datetime(targets["last_spent"]) < pd.Timestamp(window_start))
    ]
    names = dict(zip(measures["code"], measures["name"], strict=True))
    findings = []
    for row in idle.sort_values(["measure", "district"]).itertuples():
        since = "never" if pd.isna(row.last_spent) else pd.Timestamp(row.last_spent).date()
        findings.append(
            (
                "idle_measure",
                f"{row.measure}/{row.district}/{since}",
                t(
                    "alert.idle_measure",
                    measure=row.measure,
                    name=names.get(row.measure, ""),
                    district=row.district,
                    months=months,
                    start=f"{window_start:%m/%Y}",
                    end=f"{last:%m/%Y}",
                    since=t("alert.never") if since == "never" else t.day(since),
                ),
            )
        )
    return findings


def unmatched_lookalikes(tagged: Tagged, year: int, t: Terminal) -> list[Finding]:
    """Spending of `year` that matches no measure although its cost center is a measure's.

    Typically a new account booked on a known measure's cost center: the measure's account rule
    does not know it yet, so the money is unattributed."""
    postings = tagged.postings
    if postings.empty or tagged.measures.empty:
        return []
    unmatched = postings[
        postings["measure"].isna() & (pd.to_datetime(postings["booking_date"]).dt.year == year)
    ]
    if unmatched.empty:
        return []
    cost_centers = pd.Series(unmatched["cost_center"].dropna().astype(str).unique())
    owners: dict[str, list[str]] = {}
    for measure in tagged.measures.drop_duplicates("code").itertuples():
        rule_text = measure.cost_center
        if rule_text is None or pd.isna(rule_text) or not str(rule_text).strip():
            continue
        for center in cost_centers[Rule.parse(rule_text).matches(cost_centers)]:
            owners.setdefault(center, []).append(measure.code)
    looks = unmatched[unmatched["cost_center"].isin(list(owners))]
    findings = []
    for (center, account), group in looks.groupby(["cost_center", "account"]):
        codes = ", ".join(sorted(owners[center]))
        findings.append(
            (
                "unmatched_lookalike",
                f"{center}/{account}",
                t(
                    "alert.unmatched_lookalike",
                    count=t.count(len(group)),
                    year=year,
                    center=center,
                    account=account,
                    amount=t.money(format_cents(int(group["amount_cents"].sum()))),
                    measures=codes,
                ),
            )
        )
    return findings


def changed_exports(connection: Connection, t: Terminal) -> list[Finding]:
    """Exports whose earlier months' totals differ from the previous export of that year.

    The same rule as ledger.export_comparison at import time, applied to stored batches: only
    the months the later export covers are compared, and a month the previous export did not
    have is new, not changed."""
    totals = pd.DataFrame(
        connection.execute(
            select(
                BatchMonthTotal.batch_id,
                BatchMonthTotal.fiscal_year,
                BatchMonthTotal.month,
                BatchMonthTotal.total_cents,
            )
        ).fetchall(),
        columns=["batch_id", "fiscal_year", "month", "total_cents"],
    )
    if totals.empty:
        return []
    files = dict(connection.execute(select(ImportBatch.id, ImportBatch.file_name)).fetchall())
    findings = []
    for year, of_year in totals.groupby("fiscal_year"):
        batches = sorted(of_year["batch_id"].unique())
        for previous, current in itertools.pairwise(batches):
            now_ = of_year[of_year["batch_id"] == current]
            before = of_year[of_year["batch_id"] == previous]
            span = before[
                (before["month"] >= now_["month"].min()) & (before["month"] <= now_["month"].max())
            ]
            both = span[["month", "total_cents"]].merge(
                now_[["month", "total_cents"]], on="month", how="left", suffixes=("_before", "")
            )
            both["total_cents"] = both["total_cents"].fillna(0).astype("int64")
            changed = both[both["total_cents_before"] != both["total_cents"]].sort_values("month")
            if changed.empty:
                continue
            months = "; ".join(
                t(
                    "alert.export_changed.month",
                    month=r.month,
                    before=t.money(format_cents(int(r.total_cents_before))),
                    after=t.money(format_cents(int(r.total_cents))),
                )
                for r in changed.itertuples()
            )
            findings.append(
                (
                    "export_changed",
                    f"batch {current}/{year}",
                    t(
                        "alert.export_changed",
                        file=files.get(int(current), "?"),
                        batch=current,
                        count=len(changed),
                        year=year,
                        previous=previous,
                        months=months,
                    ),
                )
            )
    return findings


def _on_or_before(column: pd.Series, day: date) -> pd.Series:
    return column.isna() | (pd.to_datetime(column) <= pd.Timestamp(day))


def _on_or_after(column: pd.Series, day: date) -> pd.Series:
    return column.isna() | (pd.to_datetime(column) >= pd.Timestamp(day))

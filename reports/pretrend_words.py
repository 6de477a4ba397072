"""The pre-trend check in words that never contradict the event-study chart beside them.

Source: the evaluate JSON's `pretrend` {pvalue, testable, reason} (results written before it
existed: `pretrend_pvalue` alone) and the event study's rows, whose intervals come from the same
inference as the test. The joint test and the single intervals can disagree: the joint test may
alarm while every single interval covers zero, and one lead among several may exclude zero while
the joint test passes. The words say which, so a reader who looks from the text to the chart
finds what the text says, and every pre-period whose interval excludes zero is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reports.caveats import joined
from reports.effect_words import finite, level
from reports.report_layout import Layout

# The pre-trend test alarms below this p-value: it has little power, so 10 %, not 5 % (Roth
# 2022; the evaluation's caveat uses the same level).
ALARM_BELOW = 0.10
STATES = ("passed", "alarm", "untestable")


def deviating_leads(rows: Sequence[dict[str, Any]]) -> list[int]:
    """The periods before the start, in time order, whose interval excludes zero (the
    reference period has no row of its own in a universal-base event study)."""
    leads = []
    for row in rows:
        rel = int(row["rel_time"])
        low, high = [finite(end) for end in [*(row.get("ci") or []), None, None][:2]]
        if rel >= 0 or row.get("estimate") is None or low is None or high is None:
            continue
        if low > 0 or high < 0:
            leads.append(rel)
    return sorted(leads)


def pretrend_state(evaluation: dict[str, Any]) -> tuple[str, float | None, str | None]:
    """("passed" | "alarm" | "untestable", its p-value, the reason code it is not testable)."""
    pretrend = evaluation.get("pretrend")
    if isinstance(pretrend, dict):
        pvalue = finite(pretrend.get("pvalue"))
        if not pretrend.get("testable") or pvalue is None:
            return "untestable", None, pretrend.get("reason")
    else:
        pvalue = finite(evaluation.get("pretrend_pvalue"))
        if pvalue is None:
            return "untestable", None, None
    return ("alarm" if pvalue < ALARM_BELOW else "passed"), pvalue, None


def pretrend_sentences(evaluation: dict[str, Any], layout: Layout) -> list[str]:
    """The test's result (or why there is none, in words), and the leads that deviate."""
    t, fmt = layout.t, layout.fmt
    state, pvalue, reason = pretrend_state(evaluation)
    rows = evaluation.get("event_study") or []
    leads = deviating_leads(rows)
    named = []
    if leads:
        key = "pretrend.lead_one" if len(leads) == 1 else "pretrend.leads_many"
        periods = joined([fmt.integer(rel) for rel in leads], t)
        named = [t(key, periods=periods, level=level(evaluation, layout))]
    if state == "passed":
        assert pvalue is not None
        if named:
            return [*named, t("pretrend.joint_passed", p=fmt.pvalue(pvalue))]
        return [t("pretrend.passed", p=fmt.pvalue(pvalue))]
    if state == "alarm":
        assert pvalue is not None
        sentences = [t("pretrend.rejected", p=fmt.pvalue(pvalue))]
        if named:
            return sentences + named
        if any(int(row["rel_time"]) < 0 for row in rows):
            sentences.append(t("pretrend.rejected_jointly"))
        return sentences
    key = f"pretrend.reason.{reason}"
    if reason and t.has(key):
        return [t("pretrend.untestable", reason=t(key)), *named]
    return [t("pretrend.none"), *named]

"""The report's front: cover, "Auf einen Blick", spending per district, need and spending, maps.

Targeting is descriptive (where the money goes), effects are causal only under parallel trends;
"Auf einen Blick" keeps the two apart and ends with what the numbers cannot say (DOMAIN §1).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from reportlab.platypus import Flowable, KeepInFrame

from reports.caveats import CaveatLike, caveat_gist, caveats_of, plain_caveat
from reports.charts import concentration_chart, need_scatter, spending_bars
from reports.programme_glance import programme_table
from reports.report_data import ReportData
from reports.report_layout import Layout
from reports.unattributed_section import glance_sentence, unattributed_story

VERDICTS = ("follows", "does_not_follow", "unclear", "not_assessable")
NEEDIEST_SHARE = 0.2


def cover(data: ReportData, layout: Layout) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    unknown = t("cover.unknown")
    story: list[Flowable] = [
        layout.gap(90),
        layout.p(t("cover.title"), "title"),
        layout.p(t("cover.subtitle"), "subtitle"),
        layout.p(data.city, "city"),
        layout.p(
            t(
                "cover.period",
                label=data.period_label,
                start=fmt.day(data.period_start),
                end=fmt.day(data.period_end),
            )
        ),
        layout.p(t("cover.created", created=fmt.moment(data.created))),
        layout.p(
            t(
                "cover.data_as_of",
                posting=fmt.day(data.data_as_of_posting) if data.data_as_of_posting else unknown,
                indicator=data.data_as_of_indicator or unknown,
            )
            if data.postings_missing != "no_postings"
            else t("cover.data_as_of_no_postings", indicator=data.data_as_of_indicator or unknown)
        ),
    ]
    if data.rerun_of is not None:
        story.append(layout.p(t("cover.rerun", run=fmt.integer(data.rerun_of)), "strong"))
    if data.synthetic:
        story += [
            layout.gap(40),
            layout.banner(t("cover.synthetic_banner")),
            layout.gap(8),
            layout.p(t("cover.synthetic_note"), "strong"),
        ]
    return story


def curve_points(targeting: dict[str, Any]) -> list[tuple[float, float]]:
    """The concentration curve as (population share, spending share), pairs or JSON rows."""
    points = []
    for point in targeting.get("concentration_curve") or []:
        if isinstance(point, dict):
            points.append(
                (float(point["cum_population_share"]), float(point["cum_spending_share"]))
            )
        else:
            points.append((float(point[0]), float(point[1])))
    return points


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def postings_missing_reason(data: ReportData, layout: Layout) -> str | None:
    """Why the period shows no spending, in plain words; None where postings are booked in it."""
    if not data.postings_missing:
        return None
    first, last = data.postings_span or (None, None)
    return layout.t(
        f"missing.{data.postings_missing}",
        first=layout.fmt.day(first) if first else "",
        last=layout.fmt.day(last) if last else "",
    )


def need_missing_reason(data: ReportData, layout: Layout) -> str | None:
    """Why the report has no need index (or no ranked district), in plain words; None if it has."""
    t = layout.t
    if data.need_missing:
        return t(f"missing.{data.need_missing}", indicators=", ".join(data.need_indicators))
    if data.need is not None and not data.need.get("districts"):
        return t("missing.all_suppressed")
    return None


def targeting_sentences(
    targeting: dict[str, Any] | None, layout: Layout, reason: str | None = None
) -> list[str]:
    """The verdict first, then its numbers, each in plain words; without targeting, why not."""
    t, fmt = layout.t, layout.fmt
    if targeting is None:
        return [
            t("glance.no_targeting_because", reason=reason) if reason else t("glance.no_targeting")
        ]
    code = targeting.get("verdict_code")
    sentences = [t(f"verdict.{code}") if code in VERDICTS else str(targeting.get("verdict", ""))]
    if code == "not_assessable":
        return sentences
    rho = _number(targeting.get("spearman"))
    low, high = [*(targeting.get("spearman_ci") or []), None, None][:2]
    level = (targeting.get("bootstrap") or {}).get("level", 0.95)
    if rho is None:
        if "spearman" in targeting:  # null: no spread in need or spending
            sentences.append(t("glance.spearman_missing"))
    else:
        unknown = t("cover.unknown")
        sentences.append(
            t(
                "glance.spearman",
                rho=fmt.number(rho, 2),
                level=fmt.integer(round(100 * level)),
                low=unknown if _number(low) is None else fmt.number(float(low), 2),
                high=unknown if _number(high) is None else fmt.number(float(high), 2),
            )
        )
    share = _number(targeting.get("top_fifth_spending_share"))
    if share is not None:
        reference = _number(targeting.get("top_fifth_population_share")) or NEEDIEST_SHARE
        sentences.append(
            t("glance.top_fifth", share=fmt.percent(share), reference=fmt.percent(reference, 0))
        )
    index = _number(targeting.get("concentration_index"))
    if index is not None:
        sentences.append(t("glance.concentration", index=fmt.number(index, 2)))
    return sentences


def at_a_glance(data: ReportData, layout: Layout) -> list[Flowable]:
    """One page: with many programs and caveats the text is scaled down to fit, not split."""
    t = layout.t
    verdict, *numbers = targeting_sentences(
        data.targeting, layout, need_missing_reason(data, layout)
    )
    no_spending = postings_missing_reason(data, layout)
    story: list[Flowable] = [
        layout.h2(t("glance.targeting_title")),
        layout.p(verdict, "strong"),
        *layout.bullets(numbers, "bullet_compact"),
        layout.p(no_spending or _totals(data, layout)),
        layout.h2(t("glance.programs_title")),
    ]
    if data.programs:
        story += programme_table(data, layout)
    elif data.programs_missing:
        reason = t(f"missing.{data.programs_missing}")
        story.append(layout.p(t("glance.no_programs_because", reason=reason)))
    else:
        story.append(layout.p(t("glance.no_programs")))
    story += [
        layout.h2(t("glance.cannot_say_title")),
        *layout.bullets(cannot_say(data, layout), "bullet_compact"),
    ]
    # The heading stays outside, so it is still a bookmark; the rest shrinks to the page.
    return [layout.h1(t("section.glance")), KeepInFrame(0, 0, story, mode="shrink")]


def _totals(data: ReportData, layout: Layout) -> str:
    """The period's spending and its unattributed part, with a pointer to what that is."""
    fmt = layout.fmt
    totals = layout.t(
        "glance.totals", total=fmt.money(data.total), unattributed=fmt.money(data.unattributed)
    )
    pointer = glance_sentence(data, layout)
    return f"{totals} {pointer}" if pointer else totals


def cannot_say(data: ReportData, layout: Layout) -> list[str]:
    """What the numbers cannot say: fixed limits first, then each kind of caveat once.

    A caveat is shown by its gist with every source (targeting, programs) it
    applies to, so the page stays short with many programs; the program pages give each caveat
    in full. A caveat without a gist (or an old document's English sentence) is shown in full,
    with its source.
    """
    t, fmt = layout.t, layout.fmt
    items = [t("limits.descriptive")]
    if data.programs:
        items.append(t("limits.parallel_trends"))
    items.append(t("limits.few_districts", n=fmt.integer(len(data.districts))))
    if data.unattributed:
        items.append(t("limits.unattributed", amount=fmt.money(data.unattributed)))
    sources: list[tuple[str, list[CaveatLike]]] = [
        (t("limits.targeting_source"), caveats_of(data.targeting))
    ]
    sources += [(s.program, caveats_of(s.evaluation)) for s in data.programs]
    grouped: dict[str, list[str]] = {}
    unknown: list[str] = []
    for source, caveats in sources:
        for caveat in caveats:
            gist = caveat_gist(caveat)
            if gist is None:
                text = plain_caveat(caveat, t, fmt)
                unknown.append(t("limits.item", source=source, text=text))
            elif source not in grouped.setdefault(gist, []):
                grouped[gist].append(source)
    items += [
        t("limits.grouped", text=t(gist), sources=", ".join(names))
        for gist, names in grouped.items()
    ]
    return list(dict.fromkeys(items + unknown))


def spending_per_district(data: ReportData, layout: Layout) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    accounts = ", ".join(data.spending_accounts)
    dash = "–"
    rows = [
        [
            d.key,
            d.name,
            fmt.money(d.amount),
            dash if d.population is None else fmt.integer(d.population),
            dash if d.per_capita is None else fmt.money(d.per_capita),
            _need_class(d.need_class, layout) if d.need_class else dash,
        ]
        for d in sorted(data.districts, key=lambda d: d.key)
    ]
    rows.append(["", t("spending.unattributed_row"), fmt.money(data.unattributed), "", "", ""])
    rows.append(["", t("spending.total_row"), fmt.money(data.total), "", "", ""])
    w = layout.width
    table = layout.table(
        [
            t("spending.col_key"),
            t("spending.col_district"),
            t("spending.col_amount"),
            t("spending.col_population"),
            t("spending.col_per_capita"),
            t("spending.col_need_class"),
        ],
        rows,
        [0.07 * w, 0.28 * w, 0.17 * w, 0.14 * w, 0.15 * w, 0.19 * w],
        right=(2, 3, 4),
        bold_rows=(len(rows) - 1,),
    )
    in_districts = sum((d.amount for d in data.districts), Decimal(0))
    values = {
        "districts": fmt.money(in_districts),
        "unattributed": fmt.money(data.unattributed),
        "total": fmt.money(data.total),
    }
    if in_districts + data.unattributed == data.total:
        text = t("spending.reconciliation", accounts=accounts, **values)
        if data.internal_accounts and data.internal:  # said where there is something left out
            internal = ", ".join(data.internal_accounts)
            left_out = fmt.money(data.internal)
            text += " " + t("spending.internal_left_out", accounts=internal, internal=left_out)
        reconciliation = layout.p(text)
    else:
        difference = fmt.money(data.total - in_districts - data.unattributed)
        reconciliation = layout.p(
            t("spending.mismatch", difference=difference, **values), "warning"
        )
    chart = spending_bars(data.districts, data.unattributed, t, fmt, layout.width)
    notes = []
    no_spending = postings_missing_reason(data, layout)
    if no_spending:
        notes.append(layout.p(no_spending, "warning"))
    reason = need_missing_reason(data, layout)
    if reason and data.districts:
        notes.append(layout.p(t("spending.no_need_classes", reason=reason), "small"))
    notes += disclosure_notes(data, layout, with_rule=False)
    return [
        layout.h1(t("section.spending")),
        layout.p(
            t(
                "spending.intro",
                start=fmt.day(data.period_start),
                end=fmt.day(data.period_end),
                accounts=accounts,
            )
        ),
        table,
        layout.gap(6),
        reconciliation,
        *notes,
        layout.close_figure(chart, t("spending.chart_caption")),
        *unattributed_story(data, layout),
    ]


def disclosure_notes(data: ReportData, layout: Layout, with_rule: bool = True) -> list[Flowable]:
    """Which districts show no need or indicator figures, and why; with_rule: also say the
    rule when no district falls under it."""
    t, fmt = layout.t, layout.fmt
    small = [d.name for d in data.suppressed if d.below_minimum]
    missing = [d.name for d in data.suppressed if not d.below_minimum]
    notes = []
    if data.min_population is not None:
        minimum = fmt.integer(data.min_population)
        if small:
            notes.append(
                layout.p(
                    t("disclosure.suppressed", minimum=minimum, names=", ".join(small)), "small"
                )
            )
        elif with_rule and data.need is not None:
            notes.append(layout.p(t("disclosure.none_small", minimum=minimum), "small"))
    if missing:
        notes.append(layout.p(t("disclosure.missing", names=", ".join(missing)), "small"))
    return notes


def need_and_spending(data: ReportData, layout: Layout) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    story: list[Flowable] = [layout.h1(t("section.need"))]
    reason = need_missing_reason(data, layout)
    if data.need_period:
        story.append(layout.p(t("need.intro", period=data.need_period)))
    elif reason:
        story.append(layout.p(t("need.unavailable", reason=reason)))
        return story  # nothing below can be said without a need index
    else:
        story.append(layout.p(t("need.no_period")))
    shown = [d for d in data.districts if d.need_index is not None and d.per_capita is not None]
    if shown:
        scatter = need_scatter(data.districts, t, fmt, layout.width)
        story.append(layout.figure(scatter, t("need.scatter_caption")))
        zero = sorted(d.name for d in shown if d.per_capita == 0)
        if len(zero) > 1:
            story.append(layout.p(t("need.zero_spending", names=", ".join(zero)), "small"))
    story += disclosure_notes(data, layout)
    explained = {d.key for d in data.suppressed}
    missing = sorted(d.name for d in data.districts if d not in shown and d.key not in explained)
    if missing:
        story.append(layout.p(t("need.not_shown", names=", ".join(missing)), "small"))
    lists = _class_lists(data, layout)
    points = curve_points(data.targeting or {})
    if len(points) < 2:
        return story + lists
    share = _number((data.targeting or {}).get("top_fifth_spending_share"))
    # The curve and the two lists side by side: together they fit under the scatter plot.
    curve = concentration_chart(points, share, t, fmt, layout.width * 0.5)
    beside = layout.side_by_side(
        [curve, layout.p(t("need.curve_caption"), "caption")], lists, left_share=0.53
    )
    return [*story, beside]


def _class_lists(data: ReportData, layout: Layout) -> list[Flowable]:
    """Districts whose need class rose, and those with high need for three periods or more."""
    t, fmt = layout.t, layout.fmt
    story: list[Flowable] = [layout.h2(t("need.worsened_title"))]
    if data.worsened:
        story += layout.bullets(
            [
                t(
                    "need.worsened_item",
                    key=key,
                    name=name,
                    before=_need_class(before, layout),
                    after=_need_class(after, layout),
                )
                for key, name, before, after in data.worsened
            ]
        )
    else:
        story.append(layout.p(t("need.none_worsened")))
    story.append(layout.h2(t("need.persistent_title")))
    if data.persistent_high:
        story += layout.bullets(
            [
                t("need.persistent_item", key=key, name=name, periods=fmt.integer(periods))
                for key, name, periods in data.persistent_high
            ]
        )
    else:
        story.append(layout.p(t("need.none_persistent")))
    return story


def _need_class(code: str, layout: Layout) -> str:
    key = f"need_class.{code}"
    return layout.t(key) if layout.t.has(key) else code

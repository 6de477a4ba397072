"""The report's explanation of "nicht zugeordnet": what the spending without a district is.

Shown on the spending page, below the reconciliation, whenever part of the period's spending
reaches no district: how much has no measure and how much belongs to measures without an
allocation (named), the largest accounts, products and cost centres, and what would attribute
it. The figures are the `unattributed_breakdown` of the `spend` document the report was built
from, so the committee's page and an auditor's `spend` agree.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable

from reports.report_data import ReportData
from reports.report_layout import Layout
from reports.unattributed_words import largest_rows, measure_lines, summary

# Codes per dimension in the report's table; `spend --json` and `--xlsx` give all of them.
REPORT_TOP = 5


def unattributed_story(data: ReportData, layout: Layout) -> list[Flowable]:
    """The explanation's flowables; nothing where all spending reaches a district."""
    breakdown = data.unattributed_breakdown
    if not breakdown or not breakdown["by_account"]:
        return []
    t, fmt = layout.t, layout.fmt
    amount = str(data.unattributed)
    story: list[Flowable] = [
        layout.h2(t("unattributed.title")),
        layout.p(summary(breakdown, amount, True, t, fmt)),
    ]
    lines = measure_lines(breakdown, t, fmt)
    if lines:
        story += [layout.p(t("unattributed.measures_title"), "strong")]
        story += layout.bullets(lines, "bullet_compact")
    else:
        story.append(layout.p(t("unattributed.all_measures_allocated")))
    rows = [
        [kind, code, fmt.money(euros), fmt.integer(postings)]
        for kind, code, euros, postings in largest_rows(breakdown, t, REPORT_TOP)
    ]
    w = layout.width
    story += [
        layout.p(t("unattributed.largest_title"), "strong"),
        layout.table(
            [
                t("unattributed.col_kind"),
                t("unattributed.col_code"),
                t("unattributed.col_amount"),
                t("unattributed.col_postings"),
            ],
            rows,
            [0.22 * w, 0.38 * w, 0.22 * w, 0.18 * w],
            right=(2, 3),
        ),
        layout.gap(4),
        layout.p(t("unattributed.remedy"), "small"),
    ]
    return story


def glance_sentence(data: ReportData, layout: Layout) -> str | None:
    """The at-a-glance page's pointer: the two kinds of unattributed spending, and where the
    spending page explains them; None where everything is attributed."""
    breakdown = data.unattributed_breakdown
    if not breakdown or not breakdown["by_account"]:
        return None
    return layout.t(
        "unattributed.glance",
        no_measure=layout.fmt.money(Decimal(breakdown["no_measure"])),
        without_allocation=layout.fmt.money(Decimal(breakdown["without_allocation"])),
    )

"""The report's back: method notes, where the data come from, and what changed since last time.

The provenance appendix lets an auditor tie the report to the ledger: every import batch with
its file's SHA-256, the catalogue version, the hash-chain head from `verify` (compare it with
the head kept outside the database), the software version and the settings digest.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from reports.messages import REFERENCES
from reports.report_data import ReportData
from reports.report_layout import Layout

METHOD_PARTS = ("need", "targeting", "did", "cs", "inference")
LIMITS = ("regression", "takeup", "moving", "definitions")


def method_notes(layout: Layout, min_population: int | None = None) -> list[Flowable]:
    """The methods in plain words; min_population: the disclosure threshold in force (its
    rule is explained where given)."""
    t = layout.t
    story: list[Flowable] = [layout.h1(t("section.methods"))]
    for part in METHOD_PARTS:
        story += [layout.h2(t(f"methods.{part}_title")), layout.p(t(f"methods.{part}"))]
    if min_population is not None:
        story += [
            layout.h2(t("methods.disclosure_title")),
            layout.p(t("methods.disclosure", minimum=layout.fmt.integer(min_population))),
        ]
    story.append(layout.h2(t("methods.limits_title")))
    story += layout.bullets([t(f"methods.limit_{limit}") for limit in LIMITS])
    # The references stay together, with their heading.
    story.append(
        KeepTogether(
            [
                layout.h2(t("methods.literature_title")),
                *(layout.p(reference, "small") for reference in REFERENCES),
            ]
        )
    )
    return story


def provenance(data: ReportData, layout: Layout) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    story: list[Flowable] = [layout.h1(t("section.provenance")), layout.p(t("provenance.intro"))]
    if data.batches:
        # One line of figures per batch, then the time and checksum under it across the
        # table's width: the file name gets room enough not to break inside.
        rows: list[list[str]] = []
        spans: list[int] = []
        for batch in data.batches:
            status_key = f"status.{batch.status}"
            rows.append(
                [
                    fmt.integer(batch.batch),
                    batch.file,
                    fmt.integer(batch.rows),
                    fmt.integer(batch.imported),
                    fmt.integer(batch.corrections),
                    t(status_key) if t.has(status_key) else batch.status,
                ]
            )
            spans.append(len(rows))
            rows.append(
                [
                    t(
                        "provenance.batch_detail",
                        started=fmt.moment(batch.started),
                        sha256=batch.sha256,
                    )
                ]
            )
        w = layout.width
        story.append(
            layout.table(
                [
                    t("provenance.col_batch"),
                    t("provenance.col_file"),
                    t("provenance.col_rows"),
                    t("provenance.col_imported"),
                    t("provenance.col_corrections"),
                    t("provenance.col_status"),
                ],
                rows,
                [0.05 * w, 0.505 * w, 0.085 * w, 0.137 * w, 0.127 * w, 0.096 * w],
                right=(0, 2, 3, 4),
                spans=spans,
            )
        )
    else:
        story.append(layout.p(t("provenance.no_batches")))
    story.append(layout.gap(10))
    if data.inputs is not None:
        story.append(
            layout.p(
                t(
                    "provenance.inputs",
                    posting=fmt.integer(data.inputs.last_posting_id),
                    batch=fmt.integer(data.inputs.last_batch_id),
                    master=fmt.integer(data.inputs.last_master_import_id),
                )
            )
        )
    if data.catalog_version is None:
        story.append(layout.p(t("provenance.no_catalog")))
    else:
        story.append(layout.p(t("provenance.catalog", version=fmt.integer(data.catalog_version))))
    story += [
        KeepTogether(
            [layout.p(t("provenance.ledger_head"), "body"), layout.p(data.ledger_head, "mono")]
        ),
        layout.p(t("provenance.software", version=data.software_version)),
        KeepTogether(
            [layout.p(t("provenance.settings"), "body"), layout.p(data.settings_digest, "mono")]
        ),
    ]
    return story


def changes_since_last_report(data: ReportData, layout: Layout) -> list[Flowable]:
    t, fmt = layout.t, layout.fmt
    changes = data.changes
    story: list[Flowable] = [layout.gap(14), layout.h1(t("section.changes"))]
    if "previous_report" in changes and changes["previous_report"] is None:
        story.append(layout.p(t("changes.first_report")))
    measures = [str(m) for m in changes.get("new_measures") or []]
    story += layout.bullets(
        [
            t("changes.new_postings", n=fmt.integer(int(changes.get("new_postings", 0)))),
            t("changes.corrections", n=fmt.integer(int(changes.get("corrections", 0)))),
            t("changes.new_measures", measures=", ".join(measures))
            if measures
            else t("changes.no_new_measures"),
            t(
                "changes.revised_indicators",
                n=fmt.integer(int(changes.get("revised_indicator_values", 0))),
            ),
        ]
    )
    return story

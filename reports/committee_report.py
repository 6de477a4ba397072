"""The social committee's PDF report (SPEC §8, issue 6): `build_report(data, out, lang)`.

Pure with respect to the database: everything comes in a `ReportData` (reports.report_data);
the same data give the same bytes (reportlab's invariant mode, fixed SVG ids, the creation
time taken from `data.created`), so the sha256 recorded with a run identifies the report.

Order: cover; "Auf einen Blick"; spending per district; need and spending; district maps (with
boundaries); one page per program; method notes (when data.method_notes); provenance appendix;
what changed since the last report. Every page carries a footer with the city, the period,
"SYNTHETISCHE DATEN" for invented data, and "Seite x von y" (counted in a second pass by the
canvas, so x of y is exact). Main headings become PDF bookmarks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from reports.appendix_sections import changes_since_last_report, method_notes, provenance
from reports.fonts import BOLD, REGULAR, register_fonts
from reports.formatting import LocaleFormat
from reports.map_page import district_map_page
from reports.messages import Messages
from reports.overview_sections import (
    at_a_glance,
    cover,
    need_and_spending,
    spending_per_district,
)
from reports.program_sections import program_page
from reports.report_data import ReportData
from reports.report_layout import MUTED, WARNING_RED, Layout
from reports.short_ways import short_ways_page

MARGIN = 20 * mm
FOOTER_Y = 11 * mm
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}


@dataclass(frozen=True)
class ReportResult:
    """The written PDF: its path, the sha256 of its bytes and its number of pages."""

    file: Path
    sha256: str
    pages: int


def build_report(data: ReportData, out: Path, lang: str = "de") -> ReportResult:
    """Write the committee report for `data` to `out` in German ("de") or English ("en")."""
    register_fonts()
    out = Path(out)
    t, fmt = Messages(lang), LocaleFormat(lang)
    document = _Document(
        str(out),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{t('cover.title')} – {data.city} – {data.period_label}",
        author=data.city,
        subject=t("cover.subtitle"),
        creator=f"budget-impact-monitor {data.software_version}",
        lang=LANGUAGE_TAGS[lang],
        invariant=1,
    )
    frame = Frame(
        MARGIN,
        MARGIN,
        document.width,
        document.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    layout = Layout(t, fmt, document.width)
    counted: list[int] = []
    document.build(
        report_story(data, layout),
        canvasmaker=_footer_canvas(
            _footer_text(data, t),
            lambda page, pages: t("footer.page", page=page, pages=pages),
            _banner(data, t),
            data.created,
            document.headings,
            counted,
        ),
    )
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    return ReportResult(file=out, sha256=digest, pages=counted[-1])


def report_story(data: ReportData, layout: Layout) -> list[Flowable]:
    """Every flowable of the report, section by section, each section on a new page."""
    sections: list[list[Flowable]] = [
        cover(data, layout),
        at_a_glance(data, layout),
        spending_per_district(data, layout),
        need_and_spending(data, layout),
    ]
    if data.boundaries and data.boundaries.get("features"):
        sections.append(district_map_page(data, layout))
    sections += [short_ways_page(s, data.boundaries, layout) for s in data.short_ways]
    names = {district.key: district.name for district in data.districts}
    sections += [program_page(section, layout, names) for section in data.programs]
    if data.method_notes:
        sections.append(method_notes(layout, data.min_population))
    # The short "what changed" list follows the appendix on its page rather than alone on one.
    sections.append(
        [*provenance(data, layout), KeepTogether(changes_since_last_report(data, layout))]
    )
    story: list[Flowable] = []
    for index, section in enumerate(sections):
        if index:
            story.append(PageBreak())
        story += section
    return story


class _Document(BaseDocTemplate):
    """Notes the page of every main heading (style "h1"); the canvas bookmarks them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headings: list[tuple[int, str]] = []

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            self.headings.append((self.page, flowable.getPlainText()))


def pdf_date(moment: datetime) -> str:
    """A PDF date string (ISO 32000 §7.9.4), e.g. "D:20250115060000+01'00'"; naive = UTC."""
    offset = moment.utcoffset()
    if offset is None:
        return moment.strftime("D:%Y%m%d%H%M%SZ")
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{moment.strftime('D:%Y%m%d%H%M%S')}{sign}{hours:02d}'{rest:02d}'"


def _banner(data: ReportData, t: Messages) -> str | None:
    """The red line under every page's footer: invented data, a ledger that did not verify."""
    parts = [t("cover.synthetic_banner")] if data.synthetic else []
    if data.unverified:
        parts.append(t("footer.unverified_banner"))
    return " · ".join(parts) or None


def _footer_text(data: ReportData, t: Messages) -> str:
    return f"{data.city} · {t('cover.subtitle')} · {data.period_label}"


def _footer_canvas(
    text: str,
    page_label: Callable[[int, int], str],
    synthetic: str | None,
    created: datetime,
    headings: list[tuple[int, str]],
    counted: list[int],
) -> type[Canvas]:
    """A canvas that holds back every page until the last, then writes "Seite x von y".

    Bookmarks are set while the held pages are written out: a bookmark refers to the page
    being written, which during layout would still be the first.
    """

    class FooterCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            # The PDF's creation date is the report's, not the clock's: same data, same bytes.
            self.setDateFormatter(lambda *_: pdf_date(created))

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                for index, (page, title) in enumerate(headings):
                    if page == number:
                        self.bookmarkPage(f"heading-{index}")
                        self.addOutlineEntry(title, f"heading-{index}", level=0)
                self._footer(pages)
                super().showPage()
            counted.append(pages)
            super().save()

        def _footer(self, pages: int) -> None:
            width = self._pagesize[0]
            self.saveState()
            self.setFont(REGULAR, 7.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, FOOTER_Y, text)
            self.drawRightString(width - MARGIN, FOOTER_Y, page_label(self._pageNumber, pages))
            if synthetic:
                self.setFont(BOLD, 7.5)
                self.setFillColor(WARNING_RED)
                self.drawCentredString(width / 2, FOOTER_Y - 9, synthetic)
            self.restoreState()

    return FooterCanvas

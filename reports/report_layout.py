"""Paragraph styles and small building blocks shared by the report's sections.

Every text that reaches a Paragraph goes through `Layout.p` (or a helper built on it), which
escapes it: district names, file names and caveats are data, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from reports.fonts import BOLD, MONO, REGULAR, register_fonts
from reports.formatting import LocaleFormat
from reports.messages import Messages

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#bbbbbb")
HEADER_FILL = colors.HexColor("#e8eef5")
WARNING_RED = colors.HexColor("#b2182b")


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()  # the styles name these faces
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=9.5,
        leading=13,
        textColor=INK,
        spaceAfter=5,
        bulletFontName=REGULAR,
        allowWidows=0,  # never the last line of a paragraph alone at the top of a page
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=22, leading=27, spaceAfter=10
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=14, leading=18, textColor=MUTED, spaceAfter=24
        ),
        "city": ParagraphStyle(
            "city", parent=body, fontName=BOLD, fontSize=18, leading=23, spaceAfter=14
        ),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=BOLD, fontSize=15, leading=19, spaceBefore=0, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontName=BOLD, fontSize=9.5, leading=13, spaceBefore=4, spaceAfter=2
        ),
        "strong": ParagraphStyle("strong", parent=body, fontName=BOLD),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=3
        ),
        "bullet_compact": ParagraphStyle(
            "bullet_compact",
            parent=body,
            fontSize=9,
            leading=11.5,
            leftIndent=12,
            bulletIndent=2,
            spaceAfter=2,
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=body,
            fontSize=8,
            leading=10.5,
            textColor=MUTED,
            spaceBefore=2,
            spaceAfter=10,
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0
        ),
        "cell_right": ParagraphStyle(
            "cell_right", parent=body, fontSize=8, leading=10, spaceAfter=0, alignment=TA_RIGHT
        ),
        "cell_bold_right": ParagraphStyle(
            "cell_bold_right",
            parent=body,
            fontName=BOLD,
            fontSize=8,
            leading=10,
            spaceAfter=0,
            alignment=TA_RIGHT,
        ),
        "mono": ParagraphStyle(
            "mono", parent=body, fontName=MONO, fontSize=7.5, leading=9.5, spaceAfter=3
        ),
        "banner": ParagraphStyle(
            "banner",
            parent=body,
            fontName=BOLD,
            fontSize=20,
            leading=26,
            alignment=TA_CENTER,
            textColor=colors.white,
            spaceAfter=0,
        ),
        "warning": ParagraphStyle("warning", parent=body, fontName=BOLD, textColor=WARNING_RED),
    }


@dataclass(frozen=True)
class Layout:
    """One report's language, number formats, styles and text width (points)."""

    t: Messages
    fmt: LocaleFormat
    width: float
    styles: dict[str, ParagraphStyle] = field(default_factory=_styles)

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), self.styles[style])

    def h1(self, text: str) -> Paragraph:
        return self.p(text, "h1")

    def h2(self, text: str) -> Paragraph:
        return self.p(text, "h2")

    def bullets(self, items: Sequence[str], style: str = "bullet") -> list[Flowable]:
        return [Paragraph(escape(item), self.styles[style], bulletText="•") for item in items]

    def figure(self, drawing: Flowable, caption: str) -> KeepTogether:
        """A chart and its caption, kept on one page."""
        return KeepTogether([drawing, self.p(caption, "caption")])

    def close_figure(self, drawing: Flowable, caption: str) -> Flowable:
        """A chart and its caption that stay on the page of what they illustrate when they are
        only a little too tall for the rest of it (set up to FitOnPage.LEAST smaller)."""
        return FitOnPage([drawing, self.p(caption, "caption")])

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        right: Sequence[int] = (),
        bold_rows: Sequence[int] = (),
        spans: Sequence[int] = (),
        bold_columns: Sequence[int] = (),
    ) -> Table:
        """A table of texts; `right`: right-aligned columns (numbers); `bold_rows`: indices
        into rows (e.g. the total); `spans`: rows whose single text spans every column;
        `bold_columns`: columns set in bold (e.g. a verdict)."""
        columns = len(header)

        def cell(text: str, column: int, bold: bool) -> Paragraph:
            name = "cell_bold" if bold else "cell"
            return self.p(text, f"{name}_right" if column in right else name)

        body: list[list[Flowable | str]] = [[cell(h, c, True) for c, h in enumerate(header)]]
        for index, row in enumerate(rows):
            if index in spans:
                body.append([self.p(row[0], "mono"), *([""] * (columns - 1))])
            else:
                body.append(
                    [
                        cell(text, c, index in bold_rows or c in bold_columns)
                        for c, text in enumerate(row)
                    ]
                )
        commands: list[tuple] = [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        for index in bold_rows:
            commands.append(("LINEABOVE", (0, index + 1), (-1, index + 1), 0.6, RULE))
        for index in spans:
            commands.append(("SPAN", (0, index + 1), (-1, index + 1)))
            commands.append(("LINEBELOW", (0, index + 1), (-1, index + 1), 0.3, RULE))
        table = Table(body, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(commands))
        return table

    def banner(self, text: str) -> Table:
        """White on red across the text width: the synthetic-data warning."""
        table = Table([[self.p(text, "banner")]], colWidths=[self.width])
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), WARNING_RED),
                    ("TOPPADDING", (0, 0), (-1, -1), 10),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
                ]
            )
        )
        return table

    def gap(self, points: float) -> Spacer:
        return Spacer(1, points)

    def side_by_side(self, left: object, right: object, left_share: float) -> Table:
        """Two cells across the text width, tops aligned, 12 pt between them; `left_share` of
        the width to the left one (a chart beside its lists, a table beside its words)."""
        beside = Table(
            [[left, right]],
            colWidths=[self.width * left_share, self.width * (1 - left_share)],
            hAlign="LEFT",
        )
        beside.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), 12),
                    ("RIGHTPADDING", (1, 0), (1, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return beside


class FitOnPage(Flowable):
    """Flowables kept together, set a little smaller where that keeps them on this page.

    Where they fit, they are drawn as they are; where at least LEAST of their height is left on
    the page, they are scaled down to fit (reportlab's KeepInFrame); otherwise they go to the
    next page whole, like KeepTogether.
    """

    LEAST = 0.85

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self.content = content
        self._inner: KeepInFrame | None = None

    def _natural_height(self, width: float, height: float) -> float:
        total = 0.0
        for index, flowable in enumerate(self.content):
            total += flowable.wrap(width, height)[1] + flowable.getSpaceAfter()
            if index:
                total += flowable.getSpaceBefore()
        return total

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        natural = self._natural_height(availWidth, availHeight)
        if natural * self.LEAST <= availHeight:
            self._inner = KeepInFrame(
                availWidth, min(natural, availHeight), self.content, mode="shrink"
            )
            self.width, self.height = self._inner.wrapOn(self.canv, availWidth, availHeight)
        else:
            self._inner = None  # too tall here: the frame moves it to the next page
            self.width, self.height = availWidth, natural
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        if self._inner is not None:
            self._inner.drawOn(self.canv, 0, 0)

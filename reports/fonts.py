"""The report's typeface: DejaVu Sans, the TrueType files that ship inside matplotlib.

Why these files: the report needs a font with umlauts, ß, €, − and →, embedded in the PDF so it
prints the same everywhere (reportlab's 14 standard fonts are not embedded and lack − and →).
matplotlib is needed for the charts anyway and always carries DejaVu Sans, so text and charts
share one face on every machine, with no system font package to install: matplotlib measures
chart text in the same files reportlab embeds. Registration is idempotent: reportlab's font
registry is process-wide.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
MONO = "DejaVuSansMono"
# The family name matplotlib knows these files by (charts' rcParams).
CHART_FAMILY = "DejaVu Sans"

_FACES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}


def register_fonts() -> None:
    """Make the faces known to reportlab (paragraphs, tables and chart text)."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    # <b> and <i> in paragraphs pick the matching face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)

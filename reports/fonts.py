"""The report's typeface: DejaVu Sans, the TrueType files that ship inside matplotlib.

Why these files: the report needs a font with umlauts, ß, €, − and →, embedded in the PDF so it
prints the same everywhere (reportlab's 14 standard fonts are not embedded and lack − and →).
matplotlib is needed for the charts anyway and always carries DejaVu Sans, so text and charts
share one face on every machine, with no system font package to install. Registration is
idempotent: reportlab's font registry and svglib's font map are process-wide.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from svglib import fonts as svg_fonts

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
MONO = "DejaVuSansMono"
# The family name matplotlib writes into its SVG text elements.
CHART_FAMILY = "DejaVu Sans"

_FACES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}


def register_fonts() -> None:
    """Make the faces known to reportlab (paragraphs, tables) and to svglib (chart text)."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    # <b> and <i> in paragraphs pick the matching face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    for weight, style, name in (
        ("normal", "normal", REGULAR),
        ("bold", "normal", BOLD),
        ("normal", "italic", ITALIC),
        ("bold", "italic", BOLD_ITALIC),
    ):
        svg_fonts.register_font(
            CHART_FAMILY, str(FONT_DIR / _FACES[name]), weight, style, rlgFontName=name
        )

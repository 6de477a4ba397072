"""matplotlib figures drawn straight into reportlab Drawings: vector charts without an SVG detour.

Why: the report has two charts per program, so a city with 18 programs has about 40 charts,
and saving each as SVG and parsing it back with svglib cost about 150 ms a chart — a third of
the whole report. `DrawingRenderer` is a matplotlib renderer whose primitives (paths, markers,
text) become reportlab shapes directly; `figure.draw` runs once, constrained layout included
(`savefig` draws twice with a layout engine: a dry run, then the real one).

What it draws, in points (the figure is drawn at 72 dpi, y up as in PDF): paths with their fill,
stroke, dashes, joins, caps and opacity, clipped to the artist's clip rectangle or path; text
as text in DejaVu Sans (the report's embedded face), opaque, placed by its anchor and alignment
as matplotlib's SVG backend places it, so the PDF renders it with reportlab's own metrics;
mathtext as outlines. Images are not supported: the report's charts hold none.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, Transform
from reportlab.graphics.shapes import (
    FILL_NON_ZERO,
    Drawing,
    Group,
    Path,
    Shape,
    String,
    mmult,
    rotate,
    translate,
)
from reportlab.lib.colors import Color

from reports.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR

DPI = 72.0  # one pixel is one point
_JOINS = {"miter": 0, "round": 1, "bevel": 2}
_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_ANCHORS = {"left": "start", "center": "middle", "right": "end"}
_MOVE, _LINE, _CURVE, _CLOSE = 0, 1, 2, 3  # reportlab's path operators


class DrawingRenderer(RendererBase):
    """Collects what matplotlib draws as shapes of one reportlab `Drawing`."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.drawing = Drawing(width, height)
        self._clipped: tuple[tuple[Any, ...], Group] | None = None  # the last clip group

    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: float) -> float:
        return points

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: Any
    ) -> tuple[float, float, float]:
        return self._text2path.get_text_width_height_descent(s, prop, ismath)

    def option_image_nocomposite(self) -> bool:
        return True

    def draw_path(
        self,
        gc: GraphicsContextBase,
        path: MplPath,
        transform: Transform,
        rgbFace: Any = None,  # matplotlib names it so
    ) -> None:
        stroke_only = rgbFace is None
        shape = _path_shape(
            path,
            transform,
            clip=(0.0, 0.0, self.width, self.height) if stroke_only else None,
            simplify=path.should_simplify and stroke_only,
        )
        if shape is None:
            return
        alpha = gc.get_alpha() if gc.get_forced_alpha() else None
        shape.fillColor = None if rgbFace is None else _colour(rgbFace)
        if rgbFace is not None and _opacity(rgbFace, alpha) < 1:
            shape.fillOpacity = _opacity(rgbFace, alpha)
        width = gc.get_linewidth()
        if width:
            shape.strokeColor = _colour(gc.get_rgb())
            if _opacity(gc.get_rgb(), alpha) < 1:
                shape.strokeOpacity = _opacity(gc.get_rgb(), alpha)
            shape.strokeWidth = width
            shape.strokeLineJoin = _JOINS[gc.get_joinstyle()]
            shape.strokeLineCap = _CAPS[gc.get_capstyle()]
            _offset, dashes = gc.get_dashes()
            if dashes is not None:
                shape.strokeDashArray = [float(d) for d in dashes]
        else:
            shape.strokeColor = None
        self._add(gc, shape)

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        if ismath:  # mathtext: its outlines, filled in the text's colour
            outline = TextPath((0, 0), s, prop=prop)
            gc.set_linewidth(0.0)
            self.draw_path(gc, outline, Affine2D().rotate_deg(angle).translate(x, y), gc.get_rgb())
            return
        anchor = "start"
        if mtext is not None and (angle == 0 or mtext.get_rotation_mode() == "anchor"):
            # As matplotlib's SVG backend does: keep the text's own anchor and alignment, moved
            # along the text's vertical onto this line's baseline, so that a renderer whose
            # glyph widths differ slightly still centres or right-aligns it exactly.
            ax, ay = mtext.get_transform().transform(mtext.get_unitless_position())
            up = np.array([-math.sin(math.radians(angle)), math.cos(math.radians(angle))])
            shift = float(np.dot(up, [x - ax, y - ay]))
            x, y = ax + shift * up[0], ay + shift * up[1]
            anchor = _ANCHORS[mtext.get_horizontalalignment()]
        style = {
            "fontName": _font_name(prop),
            "fontSize": prop.get_size_in_points(),
            "fillColor": _colour(gc.get_rgb()),
            "textAnchor": anchor,
        }
        if angle == 0:  # most text: no transform, so no extra graphics state in the PDF
            self._add(gc, String(x, y, s, **style))
        else:
            rotated = Group(String(0, 0, s, **style))
            rotated.transform = mmult(translate(x, y), rotate(angle))
            self._add(gc, rotated)

    def _add(self, gc: GraphicsContextBase, shape: Shape) -> None:
        """Add `shape`, inside a group that clips it where matplotlib clips it; consecutive
        shapes with the same clip share one group (one clip in the PDF, not one per shape)."""
        key = _clip_key(gc)
        if key is None:
            self._clipped = None
            self.drawing.add(shape)
        elif self._clipped is not None and self._clipped[0] == key:
            self._clipped[1].add(shape)
        else:
            group = Group(_clip_shape(gc), shape)
            self._clipped = (key, group)
            self.drawing.add(group)


class DrawingCanvas(FigureCanvasBase):
    """A canvas whose renderer is a `DrawingRenderer`, so that layout engines and text extents
    measure with the renderer that draws (not with a dry run of another backend)."""

    def __init__(self, figure: Figure) -> None:
        super().__init__(figure)
        width, height = figure.get_size_inches() * DPI
        self.renderer = DrawingRenderer(float(width), float(height))

    def get_renderer(self) -> DrawingRenderer:
        return self.renderer


def draw_figure(figure: Figure) -> Drawing:
    """The figure as a reportlab Drawing, sized in points as the figure is."""
    figure.set_dpi(DPI)
    canvas = DrawingCanvas(figure)
    figure.draw(canvas.renderer)
    return canvas.renderer.drawing


def _path_shape(
    path: MplPath,
    transform: Transform | None,
    *,
    clip: tuple[float, float, float, float] | None = None,
    simplify: bool = False,
) -> Path | None:
    """A reportlab Path of `path` after `transform` (quadratic curves raised to cubic), filled
    by the nonzero rule as matplotlib fills; None when nothing is left of it."""
    points: list[float] = []
    operators: list[int] = []
    current = (0.0, 0.0)
    for vertices, code in path.iter_segments(transform, clip=clip, simplify=simplify):
        if code == MplPath.MOVETO:
            operators.append(_MOVE)
            points += vertices.tolist()
        elif code == MplPath.LINETO:
            operators.append(_LINE)
            points += vertices.tolist()
        elif code == MplPath.CURVE3:
            (cx, cy), (ex, ey) = vertices.reshape(2, 2)
            sx, sy = current
            operators.append(_CURVE)
            points += [sx + 2 / 3 * (cx - sx), sy + 2 / 3 * (cy - sy)]
            points += [ex + 2 / 3 * (cx - ex), ey + 2 / 3 * (cy - ey), ex, ey]
        elif code == MplPath.CURVE4:
            operators.append(_CURVE)
            points += vertices.tolist()
        elif code == MplPath.CLOSEPOLY:
            operators.append(_CLOSE)
            continue
        current = (points[-2], points[-1])
    if not points:
        return None
    # autoclose "svg": a fill closes an open path, its stroke does not (as SVG and matplotlib).
    return Path(points, operators, autoclose="svg", fillMode=FILL_NON_ZERO)


def _clip_key(gc: GraphicsContextBase) -> tuple[Any, ...] | None:
    """What `gc` clips to, comparable between calls; None when it does not clip."""
    clip_path, clip_transform = gc.get_clip_path()
    if clip_path is not None:
        vertices = clip_transform.transform(clip_path.vertices)
        codes = b"" if clip_path.codes is None else clip_path.codes.tobytes()
        return ("path", vertices.round(3).tobytes(), codes)
    box = gc.get_clip_rectangle()
    return None if box is None else ("box", *(round(v, 3) for v in box.extents))


def _clip_shape(gc: GraphicsContextBase) -> Path:
    """The clip path of `gc` (its clip path, else its clip rectangle) as a reportlab clip."""
    clip_path, clip_transform = gc.get_clip_path()
    if clip_path is not None:
        # an empty clip path clips everything away: an empty rectangle does the same
        shape = _path_shape(clip_path, clip_transform) or _rectangle(0.0, 0.0, 0.0, 0.0)
    else:
        shape = _rectangle(*gc.get_clip_rectangle().extents)
    shape.isClipPath = 1
    shape.fillColor = shape.strokeColor = None
    return shape


def _rectangle(x0: float, y0: float, x1: float, y1: float) -> Path:
    return Path([x0, y0, x1, y0, x1, y1, x0, y1], [_MOVE, _LINE, _LINE, _LINE, _CLOSE])


def _colour(rgba: Any) -> Color:
    """The opaque reportlab colour of matplotlib's RGB(A); opacity is a shape attribute."""
    red, green, blue = (float(v) for v in rgba[:3])
    return Color(red, green, blue)


def _opacity(rgba: Any, alpha: float | None) -> float:
    """The colour's alpha, unless the artist forces its own (`alpha`)."""
    if alpha is not None:
        return float(alpha)
    return float(rgba[3]) if len(rgba) > 3 else 1.0


def _font_name(prop: FontProperties) -> str:
    """The registered DejaVu face for the text's weight and style."""
    weight = prop.get_weight()
    bold = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold") or (
        isinstance(weight, int | float) and weight >= 600
    )
    italic = prop.get_style() in ("italic", "oblique")
    return {(False, False): REGULAR, (True, False): BOLD, (False, True): ITALIC}.get(
        (bold, italic), BOLD_ITALIC
    )

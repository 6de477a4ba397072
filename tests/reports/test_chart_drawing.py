"""matplotlib figures drawn straight into reportlab shapes: placed, clipped and styled as
matplotlib draws them, and the same figure always gives the same PDF bytes."""

from __future__ import annotations

import io

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import FILL_NON_ZERO, Drawing, Group, Path, String

from reports.chart_drawing import draw_figure
from reports.charts import CHART_RC
from reports.fonts import BOLD, REGULAR, register_fonts


def _figure(width: float = 200.0, height: float = 100.0) -> Figure:
    """A figure without its white background, so that only what a test draws is drawn."""
    with matplotlib.rc_context(CHART_RC):
        figure = Figure(figsize=(width / 72, height / 72))
    figure.patch.set_visible(False)
    return figure


def _draw(figure: Figure) -> Drawing:
    register_fonts()
    with matplotlib.rc_context(CHART_RC):
        return draw_figure(figure)


def _walk(node: Drawing | Group) -> list[object]:
    found: list[object] = []
    for child in node.contents:
        found.append(child)
        if isinstance(child, Group):
            found += _walk(child)
    return found


def _strings(drawing: Drawing) -> dict[str, tuple[String, tuple[float, ...]]]:
    """text -> (its String, where it is placed: the transform of its group if it is rotated,
    else a translation to its own position)."""
    found = {}
    for node in _walk(drawing):
        if isinstance(node, String):
            found.setdefault(node.text, (node, (1.0, 0.0, 0.0, 1.0, node.x, node.y)))
        elif isinstance(node, Group) and getattr(node, "transform", None):
            for child in node.contents:
                if isinstance(child, String):
                    found[child.text] = (child, tuple(node.transform))
    return found


def test_drawing_is_as_large_as_the_figure_in_points() -> None:
    drawing = _draw(_figure(300.0, 120.0))
    assert (drawing.width, drawing.height) == pytest.approx((300.0, 120.0))


def test_text_keeps_its_anchor_alignment_font_and_rotation() -> None:
    figure = _figure()
    figure.text(0.5, 0.5, "Mitte", ha="center", va="baseline", fontsize=10)
    figure.text(1.0, 0.25, "rechts", ha="right", va="baseline", fontweight="bold")
    figure.text(0.1, 0.5, "gedreht", rotation=90, rotation_mode="anchor", va="baseline")
    strings = _strings(_draw(figure))

    centred, placed = strings["Mitte"]
    assert centred.textAnchor == "middle" and centred.fontName == REGULAR
    assert centred.fontSize == pytest.approx(10.0)
    assert placed == pytest.approx((1, 0, 0, 1, 100.0, 50.0))  # the anchor, in points

    right, placed = strings["rechts"]
    assert right.textAnchor == "end" and right.fontName == BOLD
    assert placed == pytest.approx((1, 0, 0, 1, 200.0, 25.0))

    _rotated, placed = strings["gedreht"]
    a, b, c, d, x, y = placed
    assert (a, b, c, d) == pytest.approx((0.0, 1.0, -1.0, 0.0))  # 90° counter-clockwise
    assert (x, y) == pytest.approx((20.0, 50.0))


def test_mathtext_is_drawn_as_its_outlines() -> None:
    figure = _figure()
    figure.text(0.5, 0.5, r"$x^2$", color="#ff0000")
    drawing = _draw(figure)
    assert not any(isinstance(n, String) for n in _walk(drawing))
    outlines = [n for n in _walk(drawing) if isinstance(n, Path)]
    assert outlines and all(p.fillColor.rgb() == pytest.approx((1, 0, 0)) for p in outlines)
    xs = [x for p in outlines for x in p.points[0::2]]
    assert min(xs) == pytest.approx(100, abs=1)  # starts at the text's position, 100 pt
    assert max(xs) < 125


def test_paths_keep_fill_stroke_dashes_and_opacity_and_fill_by_the_nonzero_rule() -> None:
    figure = _figure()
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(0, 2)
    axes.set_ylim(0, 1)
    axes.plot([0.1, 1.9], [0.5, 0.5], color="#ff0000", linewidth=2.0, linestyle="--")
    axes.fill([0.5, 1.5, 1.0], [0.1, 0.1, 0.9], color="#0000ff", alpha=0.5, linewidth=0)
    paths = [n for n in _walk(_draw(figure)) if isinstance(n, Path) and not n.isClipPath]

    line = next(p for p in paths if p.strokeColor is not None and p.fillColor is None)
    assert line.strokeColor.rgb() == pytest.approx((1.0, 0.0, 0.0))
    assert line.strokeWidth == pytest.approx(2.0)
    assert line.strokeDashArray and len(line.strokeDashArray) == 2
    assert line.points[:2] == pytest.approx([10.0, 50.0])  # data (0.1, 0.5) in points

    triangle = next(p for p in paths if p.fillColor is not None)
    assert triangle.fillColor.rgb() == pytest.approx((0.0, 0.0, 1.0))
    assert triangle.fillOpacity == pytest.approx(0.5)
    assert triangle.strokeColor is None
    assert triangle.fillMode == FILL_NON_ZERO


def test_quadratic_curves_become_the_same_cubic_curves() -> None:
    figure = _figure(100.0, 100.0)
    quadratic = MplPath([(0, 0), (50, 100), (100, 0)], [MplPath.MOVETO, MplPath.CURVE3, 3])
    figure.add_artist(PathPatch(quadratic, transform=None, facecolor="black", linewidth=0))
    path = next(n for n in _walk(_draw(figure)) if isinstance(n, Path) and not n.isClipPath)
    # control points two thirds of the way to the quadratic's control point
    assert path.points == pytest.approx([0, 0, 100 / 3, 200 / 3, 200 / 3, 200 / 3, 100, 0])
    assert path.operators == [0, 2]


def test_what_the_axes_clip_is_clipped_once_per_run_of_shapes() -> None:
    figure = _figure()
    axes = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    for offset in (0.0, 0.1, 0.2):
        axes.plot([-1, 2], [0.5 + offset, 0.5 + offset], color="black")  # beyond the axes
    drawing = _draw(figure)
    groups = [
        n
        for n in _walk(drawing)
        if isinstance(n, Group) and n.contents and getattr(n.contents[0], "isClipPath", 0)
    ]
    lines = [g for g in groups if len(g.contents) == 4]  # the clip and the three lines
    assert len(lines) == 1
    clip = lines[0].contents[0]
    assert min(clip.points[0::2]) == pytest.approx(20.0)  # the axes' box: 10 % of 200 pt
    assert max(clip.points[0::2]) == pytest.approx(180.0)


def test_the_same_figure_gives_the_same_pdf_bytes() -> None:
    def pdf() -> bytes:
        figure = _figure()
        axes = figure.subplots()
        axes.bar([0, 1, 2], [3.0, 1.0, 2.0])
        axes.set_title("Ausgaben je Jahr")
        buffer = io.BytesIO()
        renderPDF.drawToFile(_draw(figure), buffer)
        return buffer.getvalue()

    from reportlab import rl_config

    invariant, rl_config.invariant = rl_config.invariant, 1
    try:
        assert pdf() == pdf()
    finally:
        rl_config.invariant = invariant

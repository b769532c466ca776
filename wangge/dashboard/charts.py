"""Tiny server-side SVG charts: a line chart (trends) and a horizontal bar chart (counts).

No chart library and nothing loaded from another host: the page gets the SVG inline. Values
of None are gaps (a month with nothing to close has no rate). Colours come from CSS classes
(``chart-line-0``, ``chart-bar``, …) so the wall display's dark theme can restyle them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = float | int | Decimal


@dataclass(frozen=True)
class Box:
    """The plotting area inside the SVG: left, top, width and height in SVG units."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


def scale_y(value: Number, lo: float, hi: float, box: Box) -> float:
    """The SVG y of a value: ``lo`` sits on the bottom edge, ``hi`` on the top edge."""
    if hi <= lo:
        return box.bottom
    return round(box.bottom - (float(value) - lo) / (hi - lo) * box.height, 2)


def scale_x(index: int, count: int, box: Box) -> float:
    """The SVG x of the index-th of ``count`` evenly spaced points (one point: the middle)."""
    if count <= 1:
        return round(box.left + box.width / 2, 2)
    return round(box.left + index * box.width / (count - 1), 2)


def _fmt(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:g}"


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    *,
    width: int = 640,
    height: int = 220,
    lo: float = 0.0,
    hi: float | None = None,
    percent: bool = True,
    title: str = "",
) -> SafeString:
    """Lines over the labels (e.g. 12 months), one per (name, values) series, with a legend.

    ``hi`` defaults to 1 for percentages, else to the largest value. Gaps (None) break a line.
    """
    values = [float(v) for _, vs in series for v in vs if v is not None]
    if hi is None:
        hi = 1.0 if percent else max(values or [1.0])
    hi = max(hi, lo + 1e-9)
    box = Box(44, 12, width - 72, height - 60)
    n = len(labels)
    parts = [
        f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>" if title else "",
    ]
    for k in range(5):  # gridlines and the y axis labels
        tick = lo + (hi - lo) * k / 4
        y = scale_y(tick, lo, hi, box)
        parts.append(
            f'<line class="chart-grid" x1="{box.left}" y1="{y}" x2="{box.left + box.width}"'
            f' y2="{y}"/><text class="chart-axis" x="{box.left - 6}" y="{y + 4}"'
            f' text-anchor="end">{_fmt(tick, percent)}</text>'
        )
    step = max(1, (n + 11) // 12)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text class="chart-axis" x="{scale_x(i, n, box)}" y="{box.bottom + 16}"'
                f' text-anchor="middle">{escape(label)}</text>'
            )
    for s, (name, vs) in enumerate(series):
        runs: list[list[tuple[float, float, Number]]] = [[]]
        for i, v in enumerate(vs):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((scale_x(i, n, box), scale_y(v, lo, hi, box), v))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x},{y}" for x, y, _ in run)
                parts.append(f'<polyline class="chart-line chart-line-{s}" points="{points}"/>')
            for x, y, v in run:
                parts.append(
                    f'<circle class="chart-dot chart-line-{s}" cx="{x}" cy="{y}" r="3">'
                    f"<title>{escape(name)}: {_fmt(float(v), percent)}</title></circle>"
                )
        lx = box.left + s * 150
        parts.append(
            f'<rect class="chart-key chart-line-{s}" x="{lx}" y="{height - 9}" width="12"'
            f' height="4"/><text class="chart-legend" x="{lx + 16}" y="{height - 3}">'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def bar_chart(
    items: Sequence[tuple[str, Number]],
    *,
    width: int = 640,
    bar: int = 20,
    label_width: int = 150,
    title: str = "",
) -> SafeString:
    """Horizontal bars, one per (label, value), the longest bar the largest value."""
    height = max(bar, len(items) * (bar + 6))
    top = max([float(v) for _, v in items] or [0.0])
    span = width - label_width - 48
    parts = [
        f'<svg class="chart bar-chart" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>" if title else "",
    ]
    for i, (label, value) in enumerate(items):
        y = i * (bar + 6)
        length = round(float(value) / top * span, 2) if top > 0 else 0
        parts.append(
            f'<text class="chart-label" x="{label_width - 8}" y="{y + bar * 0.7}"'
            f' text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart-bar" x="{label_width}" y="{y}" width="{length}"'
            f' height="{bar}" rx="3"/>'
            f'<text class="chart-value" x="{label_width + length + 6}" y="{y + bar * 0.7}">'
            f"{escape(f'{value:g}' if isinstance(value, float) else str(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped

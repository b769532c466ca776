"""The SVG chart helper: values land where the scale puts them, gaps break lines, text is
escaped, and nothing points at another host."""

from __future__ import annotations

import re
from decimal import Decimal

from wangge.dashboard.charts import Box, bar_chart, line_chart, scale_x, scale_y

BOX = Box(left=10, top=20, width=200, height=100)


def test_scale_y_puts_the_bottom_value_on_the_bottom_edge_and_the_top_value_on_the_top():
    assert scale_y(0, 0, 1, BOX) == 120
    assert scale_y(1, 0, 1, BOX) == 20
    assert scale_y(Decimal("0.25"), 0, 1, BOX) == 95
    assert scale_y(50, 0, 200, BOX) == 95


def test_scale_x_spreads_the_points_evenly_edge_to_edge():
    assert [scale_x(i, 5, BOX) for i in range(5)] == [10, 60, 110, 160, 210]
    assert scale_x(0, 1, BOX) == 110  # a single point sits in the middle


def _points(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(v) for v in p.split(",")) for p in m.split()]
        for m in re.findall(r'<polyline[^>]*points="([^"]+)"', svg)
    ]


def test_a_line_chart_scales_rates_to_the_plot_area():
    series = [("rate", [0, Decimal("0.5"), 1])]
    svg = str(line_chart(["a", "b", "c"], series, width=300, height=160))
    (line,) = _points(svg)
    # plot area: left 44, width 300-72=228, top 12, height 160-60=100 → bottom at 112
    assert line == [(44.0, 112.0), (158.0, 62.0), (272.0, 12.0)]
    assert "100%" in svg and "50%" in svg


def test_a_gap_breaks_the_line_and_a_lone_point_is_still_drawn():
    svg = str(line_chart(["a", "b", "c", "d"], [("rate", [0.5, 0.5, None, 1])]))
    lines = _points(svg)
    assert len(lines) == 1 and len(lines[0]) == 2
    assert svg.count("<circle") == 3


def test_counts_scale_to_the_largest_value_when_not_percentages():
    svg = str(line_chart(["a", "b"], [("n", [10, 40])], width=300, height=160, percent=False))
    (line,) = _points(svg)
    assert line[1][1] == 12.0  # 40 is the top
    assert line[0][1] == 87.0  # 10 is a quarter of the way up


def test_bars_are_as_long_as_their_share_of_the_largest():
    svg = str(bar_chart([("a", 5), ("b", 10), ("c", 0)], width=400, label_width=100))
    widths = [float(w) for w in re.findall(r'<rect class="chart-bar"[^>]*width="([\d.]+)"', svg)]
    span = 400 - 100 - 48
    assert widths == [span / 2, span, 0]


def test_no_data_draws_an_empty_chart_without_dividing_by_zero():
    assert "<svg" in str(bar_chart([("a", 0)]))
    assert "<svg" in str(line_chart(["a"], [("rate", [None])]))


def test_labels_are_escaped():
    svg = str(bar_chart([("<script>", 1)], title='"x"'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_the_svg_names_no_other_host():
    svg = str(line_chart(["a"], [("r", [1])])) + str(bar_chart([("a", 1)]))
    assert "http" not in svg

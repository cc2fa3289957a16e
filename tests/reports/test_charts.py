"""The SVG charts: every value readable as text, series told apart without colour,
names escaped, and nothing the Content-Security-Policy refuses."""

from __future__ import annotations

from reports import charts


def volume() -> str:
    return charts.bar_chart(
        chart_id="chart-test",
        title="Received & closed",
        labels=["2026-03-02", "2026-03-03"],
        series=[charts.Series("Received", [3, 1]), charts.Series("<Closed>", [0, 2])],
        y_label="Tickets",
        x_label="Day",
    )


def test_each_bar_names_its_series_day_and_value():
    svg = volume()
    assert "<title>Received, 2026-03-02: 3</title>" in svg
    assert "<title>&lt;Closed&gt;, 2026-03-03: 2</title>" in svg
    assert (
        'role="img"' in svg and '<title id="chart-test-title">Received &amp; closed</title>' in svg
    )


def test_series_differ_by_pattern_and_are_named_in_a_legend():
    svg = volume()
    assert 'fill="url(#chart-test-hatch)"' in svg and 'fill="#1f4e79"' in svg
    assert ">&lt;Closed&gt;</text>" in svg  # the legend


def test_few_bars_carry_their_values_as_text():
    svg = volume()
    assert ">3</text>" in svg and ">2</text>" in svg


def test_no_chart_has_a_style_attribute_or_a_script():
    line = charts.line_chart(
        chart_id="chart-line",
        title="Backlog",
        labels=["a", "b"],
        values=[1, 4],
        y_label="Tickets",
        x_label="Day",
    )
    for svg in (volume(), line, charts.sparkline([0, 2, 1], "Received per day")):
        assert "style=" not in svg and "<script" not in svg and "<style" not in svg
    assert "<title>b: 4</title>" in line


def test_an_empty_period_draws_an_empty_chart():
    svg = charts.bar_chart(
        chart_id="chart-empty",
        title="Nothing",
        labels=[],
        series=[charts.Series("R", [])],
        y_label="Tickets",
        x_label="Day",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert charts.sparkline([], "none").startswith("<svg")

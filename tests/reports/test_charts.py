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


def test_a_percentage_chart_has_a_fixed_axis_and_no_bar_where_nothing_was_counted():
    svg = charts.bar_chart(
        chart_id="chart-sla",
        title="Targets met",
        labels=["2026-03-02", "2026-03-03"],
        series=[charts.Series("First response", [50, None])],
        y_label="Met",
        x_label="Day",
        top=100,
        unit="%",
    )
    assert ">100%</text>" in svg and ">50%</text>" in svg
    assert "<title>First response, 2026-03-02: 50%</title>" in svg
    assert svg.count("<rect x=") == 1  # the day without answers has no bar (not 0 %)
    assert "2026-03-03 –" in svg  # and says so in the description


def test_long_labels_are_thinned_to_what_fits_side_by_side():
    labels = [f"2026-03-{day:02d}" for day in range(1, 31)]
    svg = charts.bar_chart(
        chart_id="chart-days",
        title="Days",
        labels=labels,
        series=[charts.Series("R", [1] * 30)],
        y_label="Tickets",
        x_label="Day",
    )
    written = [label for label in labels if f">{label}</text>" in svg]
    assert written[:2] == ["2026-03-01", "2026-03-04"] and len(written) == 10

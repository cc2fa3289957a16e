"""Charts drawn on the server as inline SVG, readable without colour.

Each chart has a ``<title>`` and description for screen readers, axis labels,
every value as a ``<title>`` of its bar or point (a tooltip), series told
apart by pattern (solid, hatched, dotted) and named in a legend, and the page
puts the same numbers beside it as a table. No ``style`` attribute: the
Content-Security-Policy allows no inline style, so shapes carry presentation
attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 56
PATTERNS = ("solid", "hatch", "dots")
#: Beyond this many bars, values are left to the tooltips and the table.
LABELLED_BARS = 16


@dataclass(frozen=True)
class Series:
    name: str
    #: None: nothing to show there (no bar; "–" in the tooltip and description).
    values: Sequence[int | None]


def _nice_top(value: int) -> int:
    """A round axis maximum at or above ``value``."""
    if value <= 4:
        return 4
    step = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def _defs(chart_id: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9a4a00" stroke-width="3"/></pattern>'
        f'<pattern id="{chart_id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#fff"/>'
        '<circle cx="2.5" cy="2.5" r="1.4" fill="#2d5f2d"/></pattern>'
        "</defs>"
    )


def _fill(chart_id: str, index: int) -> str:
    pattern = PATTERNS[index % len(PATTERNS)]
    return "#1f4e79" if pattern == "solid" else f"url(#{chart_id}-{pattern})"


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in it went through escape()
        f'<svg id="{chart_id}" class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        + _defs(chart_id)
        + "".join(body)
        + "</svg>"
    )


def _axes(top: int, y_label: str, x_label: str, unit: str = "") -> list[str]:
    plot_bottom = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{plot_bottom}" stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{plot_bottom}" x2="{WIDTH - RIGHT}" y2="{plot_bottom}"'
        ' stroke="#333"/>',
    ]
    for tick in (0, top // 2, top):
        y = _y(tick, top)
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">'
            f"{tick}{escape(unit)}</text>"
        )
        if tick:
            parts.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"'
                ' stroke="#ccc" stroke-dasharray="2 3"/>'
            )
    parts.append(
        f'<text x="12" y="{(TOP + plot_bottom) / 2:.1f}" font-size="11" text-anchor="middle"'
        f' transform="rotate(-90 12 {(TOP + plot_bottom) / 2:.1f})">{escape(y_label)}</text>'
    )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 4}" font-size="11"'
        f' text-anchor="middle">{escape(x_label)}</text>'
    )
    return parts


def _y(value: float, top: int) -> float:
    return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * (value / top if top else 0)


def _x_labels(labels: Sequence[str], slot: float) -> list[str]:
    # As many as fit side by side (about 5.5 px a character at font size 10); the
    # others are in the tooltips and the table.
    widest = 5.5 * max((len(label) for label in labels), default=1) + 2
    fitting = max(1, int((WIDTH - LEFT - RIGHT) // widest))
    every = max(1, -(-len(labels) // fitting))
    parts = []
    for index, label in enumerate(labels):
        if index % every:
            continue
        x = LEFT + slot * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10"'
            f' text-anchor="middle">{escape(label)}</text>'
        )
    return parts


def _legend(chart_id: str, series: Sequence[Series]) -> list[str]:
    parts = []
    x = LEFT
    for index, each in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 30}" width="12" height="12" stroke="#333"'
            f' fill="{_fill(chart_id, index)}"/>'
            f'<text x="{x + 16}" y="{HEIGHT - 20}" font-size="11">{escape(each.name)}</text>'
        )
        x += 24 + 7 * len(each.name)
    return parts


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    y_label: str,
    x_label: str,
    top: int | None = None,
    unit: str = "",
) -> SafeString:
    """Bars of one or more series side by side, each series its own pattern; ``top``
    fixes the axis (100 for percentages, ``unit`` "%")."""
    if top is None:
        highest = max((value or 0 for each in series for value in each.values), default=0)
        top = _nice_top(highest)
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    bar = slot * 0.8 / max(1, len(series))
    body = _axes(top, y_label, x_label, unit)
    for index, each in enumerate(series):
        for position, value in enumerate(each.values):
            if value is None:
                continue
            x = LEFT + slot * position + slot * 0.1 + bar * index
            y = _y(value, top)
            tip = f"{each.name}, {labels[position]}: {value}{unit}"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}"'
                f' height="{HEIGHT - BOTTOM - y:.1f}" fill="{_fill(chart_id, index)}"'
                f' stroke="#333" stroke-width="0.5"><title>{escape(tip)}</title></rect>'
            )
            if len(labels) * len(series) <= LABELLED_BARS and value:
                body.append(
                    f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" font-size="10"'
                    f' text-anchor="middle">{value}{escape(unit)}</text>'
                )
    body += _x_labels(labels, slot)
    if len(series) > 1:
        body += _legend(chart_id, series)
    return _frame(chart_id, title, _describe(labels, series, unit), body)


def line_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    y_label: str,
    x_label: str,
) -> SafeString:
    """One series as a line with a marked point per value."""
    top = _nice_top(max(values, default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    points = [(LEFT + slot * (i + 0.5), _y(v, top)) for i, v in enumerate(values)]
    body = _axes(top, y_label, x_label)
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="#1f4e79" stroke-width="2"/>')
    for (x, y), label, value in zip(points, labels, values, strict=True):
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f4e79">'
            f"<title>{escape(f'{label}: {value}')}</title></circle>"
        )
    if points:
        # The last value written beside its point: the figure one looks for first.
        x, y = points[-1]
        body.append(
            f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="10"'
            f' text-anchor="end">{values[-1]}</text>'
        )
    body += _x_labels(labels, slot)
    return _frame(chart_id, title, _describe(labels, [Series(y_label, values)]), body)


def _describe(labels: Sequence[str], series: Sequence[Series], unit: str = "") -> str:
    return "; ".join(
        f"{each.name}: "
        + ", ".join(
            f"{label} {'–' if value is None else f'{value}{unit}'}"
            for label, value in zip(labels, each.values, strict=True)
        )
        for each in series
    )


def sparkline(values: Sequence[int], label: str) -> SafeString:
    """A small line of daily values for a table cell; the cell's number says the sum."""
    width, height = 64, 16
    top = max(values, default=0) or 1
    step = width / max(1, len(values) - 1)
    path = " ".join(
        f"{index * step:.1f},{height - 1 - (height - 2) * value / top:.1f}"
        for index, value in enumerate(values)
    )
    return mark_safe(  # noqa: S308 - the label went through escape()
        f'<svg class="sparkline" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>"
        f'<polyline points="{path}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        "</svg>"
    )

"""Reports for supervisors and administrators: volumes, times, ratings, as charts and CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from panel.auth import StaffRequest, supervisor_required
from panel.report_forms import ReportFilterForm
from reports import charts, queries
from reports.queries import AccountLine, Breakdown, Report, Targets

Rows = Iterable[Sequence[object]]


@require_GET
@supervisor_required
def reports(request: StaffRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None, user=request.user)
    report = queries.report(request.user, form.period())
    context = {
        "form": form,
        "report": report,
        "charts": _charts(report),
        "bucket_rows": list(
            zip(
                queries.bucket_labels(),
                report.first_response.buckets,
                report.resolution.buckets,
                strict=True,
            )
        ),
        "query": request.GET.urlencode(),
        "top_accounts": queries.TOP_ACCOUNTS,
    }
    return render(request, "panel/reports.html", context)


def _charts(report: Report) -> dict[str, str]:
    labels = [slot.start.isoformat() for slot in report.slots]
    per = _("Week of") if report.period.by_week else _("Day")
    return {
        "volume": charts.bar_chart(
            chart_id="chart-volume",
            title=_("Tickets received and closed"),
            labels=labels,
            series=[
                charts.Series(_("Received"), [slot.received for slot in report.slots]),
                charts.Series(_("Closed"), [slot.closed for slot in report.slots]),
            ],
            y_label=_("Tickets"),
            x_label=per,
        ),
        "backlog": charts.line_chart(
            chart_id="chart-backlog",
            title=_("Backlog: tickets not closed at the end of each day or week"),
            labels=labels,
            values=[slot.backlog for slot in report.slots],
            y_label=_("Tickets"),
            x_label=per,
        ),
        "times": charts.bar_chart(
            chart_id="chart-times",
            title=_("How long first responses and resolutions took"),
            labels=queries.bucket_labels(short=True),
            series=[
                charts.Series(_("First response"), report.first_response.buckets),
                charts.Series(_("Resolution"), report.resolution.buckets),
            ],
            y_label=_("Tickets"),
            x_label=_("Time taken"),
        ),
        "sla": charts.bar_chart(
            chart_id="chart-sla",
            title=_("Service level targets met, in percent"),
            labels=labels,
            series=[
                charts.Series(
                    _("First response"),
                    [slot.first_response_target.percent for slot in report.slots],
                ),
                charts.Series(
                    _("Next response"),
                    [slot.next_response_target.percent for slot in report.slots],
                ),
                charts.Series(
                    _("Resolution"), [slot.resolution_target.percent for slot in report.slots]
                ),
            ],
            y_label=_("Met"),
            x_label=per,
            top=100,
            unit="%",
        ),
    }


@require_GET
@supervisor_required
def reports_csv(request: StaffRequest, table: str) -> HttpResponse:
    """One table of the page as CSV, for the same filters."""
    form = ReportFilterForm(request.GET or None, user=request.user)
    report = queries.report(request.user, form.period())
    tables = {
        "volume": _volume_rows,
        "times": _times_rows,
        "queues": lambda r: _breakdown_rows(r.by_queue, _("Queue")),
        "agents": lambda r: _breakdown_rows(r.by_agent, _("Agent")),
        "types": lambda r: _breakdown_rows(r.by_type, _("Type")),
        "sla": _targets_rows,
        "sla-queues": lambda r: _target_breakdown_rows(r.by_queue_with_targets, _("Queue")),
        "sla-agents": lambda r: _target_breakdown_rows(r.by_agent_with_targets, _("Agent")),
        "accounts": lambda r: _account_rows(r.by_account),
    }
    if table not in tables:
        raise Http404("No such table.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"report-{table}-{report.period.start}-{report.period.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    for row in tables[table](report):
        writer.writerow([_safe_cell(value) for value in row])
    return response


def _safe_cell(value: object) -> object:
    # A spreadsheet runs a cell that starts with = + - @ as a formula (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _volume_rows(report: Report) -> Rows:
    yield (_("Period start"), _("Received"), _("Closed"), _("Backlog"))
    for slot in report.slots:
        yield (slot.start.isoformat(), slot.received, slot.closed, slot.backlog)


def _times_rows(report: Report) -> Rows:
    yield (_("Time taken"), _("First responses"), _("Resolutions"))
    yield from zip(
        queries.bucket_labels(),
        report.first_response.buckets,
        report.resolution.buckets,
        strict=True,
    )


def _breakdown_rows(lines: list[Breakdown], heading: str) -> Rows:
    yield (
        heading,
        _("Received"),
        _("Closed"),
        _("First response, median"),
        _("First response, 90th percentile"),
        _("Resolution, median"),
        _("Resolution, 90th percentile"),
        _("Rated good"),
        _("Rated bad"),
    )
    for line in lines:
        yield (
            line.name,
            line.received,
            line.closed,
            line.first_response.median,
            line.first_response.p90,
            line.resolution.median,
            line.resolution.p90,
            line.good,
            line.bad,
        )


def _target_headings() -> list[str]:
    headings = []
    for target in (_("First response"), _("Next response"), _("Resolution")):
        headings += [
            _("%(target)s met") % {"target": target},
            _("%(target)s breached") % {"target": target},
            _("%(target)s, percent met") % {"target": target},
        ]
    return headings


def _target_cells(line: Report | Breakdown | queries.Slot) -> list[object]:
    cells: list[object] = []
    targets: tuple[Targets, ...] = (
        line.first_response_target,
        line.next_response_target,
        line.resolution_target,
    )
    for target in targets:
        cells += [target.met, target.breached, "" if target.percent is None else target.percent]
    return cells


def _targets_rows(report: Report) -> Rows:
    yield (_("Period start"), *_target_headings())
    for slot in report.slots:
        yield (slot.start.isoformat(), *_target_cells(slot))
    yield (_("Total"), *_target_cells(report))


def _target_breakdown_rows(lines: list[Breakdown], heading: str) -> Rows:
    yield (heading, *_target_headings())
    for line in lines:
        yield (line.name, *_target_cells(line))


def _account_rows(lines: list[AccountLine]) -> Rows:
    yield (_("Account"), _("Received"), _("Closed"), _("First response, median"))
    for line in lines:
        yield (line.name, line.received, line.closed, line.first_response.median)

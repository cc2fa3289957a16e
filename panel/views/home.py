"""The panel's first page: statistics, quick search and the two lists (S14–S17)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timezone import get_default_timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from panel import drafts, lists
from panel.auth import StaffRequest, is_supervising, staff_required
from panel.forms import staff_choices
from reports import queries as report_queries
from reports.charts import sparkline
from tickets import queries


@require_GET
@staff_required
def home(request: StaffRequest) -> HttpResponse:
    user = request.user
    counts = queries.statistics(user)
    lines = report_queries.sparklines(user, timezone.localdate(timezone=get_default_timezone()))
    statistics = [
        (lists.PERIODS[name], counts[name], name, sparkline(lines[name], _("Received per day")))
        for name in lists.PERIODS
    ]
    context = {
        "statistics": statistics,
        "unassigned_label": lists.count_label(counts["unassigned"]),
        "tables": [
            lists.build_table(request, each, user, first_rows=lists.HOME_ROWS)
            for each in lists.home_lists(user, unassigned_counted=counts["unassigned"])
        ],
        "assignees": staff_choices() if is_supervising(user) else [],
        "move_queues": list(queries.queues_for_mass_move(user)) if is_supervising(user) else [],
        "drafts": drafts.unsent_drafts(user),
    }
    return render(request, "panel/home.html", context)

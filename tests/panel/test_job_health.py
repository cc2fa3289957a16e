"""Administrators see when background work stopped: a periodic job that has not
completed for twice its interval, and `frontdesk run` restarting the worker or
the web server. The Mail page lists every job with its last run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontdesk import jobs
from frontdesk.models import JobRun, Restart, Supervised


def ran(name: str, *, minutes_ago: float, error: str = "") -> JobRun:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return JobRun.objects.create(name=name, started_at=at, completed_at=at, error=error)


def test_a_job_that_stopped_completing_raises_a_banner_on_every_admin_page(world, as_user):
    ran("mail-fetch", minutes_ago=3)
    ran("escalation", minutes_ago=6)  # every 5 minutes: one late tick is no alarm
    ticket = world.ticket()
    client = as_user(world.admin)

    for url in ("/panel/", f"/panel/tickets/{ticket.number}/", "/panel/queues/", "/panel/mail/"):
        page = client.get(url).content.decode()
        banner = page.split('id="job-alert"')[1].split("</aside>")[0]
        assert "Mail polling has not completed since" in banner, url
        assert "(it runs every 1 minute)" in banner
        assert "Escalation" not in banner
        assert 'href="/panel/mail/#jobs"' in banner


def test_there_is_no_banner_while_every_job_is_on_time_or_has_not_run_yet(world, as_user):
    ran("mail-fetch", minutes_ago=1)
    ran("auto-close", minutes_ago=20)

    assert 'id="job-alert"' not in as_user(world.admin).get("/panel/").content.decode()


def test_restarts_of_the_last_hour_raise_the_banner(world, as_user):
    for _ in range(3):
        Restart.objects.create(process=Supervised.WORKER, pid=4242, exit_code=-9)
    Restart.objects.create(
        process=Supervised.WEB,
        pid=4243,
        exit_code=1,
        stopped_at=timezone.now() - timedelta(hours=2),
    )

    page = as_user(world.admin).get("/panel/").content.decode()

    banner = page.split('id="job-alert-restarts"')[1].split("</span>")[0]
    assert "The worker restarted 3 times in the last hour." in banner
    assert "web server" not in banner


@pytest.mark.parametrize("person", ["agent", "supervisor"])
def test_only_administrators_see_the_banner(world, as_user, person):
    ran("mail-fetch", minutes_ago=30)
    Restart.objects.create(process=Supervised.WORKER, pid=4242, exit_code=-9)

    assert 'id="job-alert"' not in as_user(getattr(world, person)).get("/panel/").content.decode()


def test_the_mail_page_lists_every_job_with_its_last_run(world, as_user):
    ran("mail-fetch", minutes_ago=0.5)
    ran("escalation", minutes_ago=30, error="OperationalError: database is locked")

    page = as_user(world.admin).get("/panel/mail/").content.decode()

    table = page.split('id="job-list"')[1].split("</table>")[0]
    rows = {name: table.split(f'id="job-{name}"')[1].split("</tr>")[0] for name in jobs.JOBS}
    assert "Mail polling" in rows["mail-fetch"] and "on time" in rows["mail-fetch"]
    assert "<strong>late</strong>" in rows["escalation"]
    assert "database is locked" in rows["escalation"]
    assert "every 5 minutes" not in rows["mail-fetch"] and "5 minutes" in rows["escalation"]
    assert "not run yet" in rows["auto-close"] and "not run yet" in rows["outbox-sweep"]

"""Mass close of 10,000 tickets through the job (tickets/mass.py), against closing one by one.

    .venv/bin/python -m bench.mass                       # SQLite
    .venv/bin/python -m bench.mass --postgres postgres://postgres:postgres@127.0.0.1:5432/frontdesk_bench_mass

Each database runs in a child process of its own (settings are read from the
environment at start-up): SQLite in a temporary folder, PostgreSQL in the
database of the URL, dropped and made again. bench/generate.py fills it with a
desk in use (about a fifth of its tickets still working), the full-text index
is built, and every queue gets a closing notice, so closing "telling the
customers" writes real mail into the outbox. Then, as an administrator:

- baseline: ``actions.close`` on ``--baseline`` tickets one by one, each in its
  own transaction, as the ticket page closes one;
- the job on ``--close`` selected tickets, without telling the customers;
- the same tickets again (put back as they were with a bare UPDATE), telling
  the customers: one outbox row each, and its send task queued;
- the job on all results of a search (every working ticket the administrator
  sees), which the worker re-runs batch by batch.

The jobs run as the worker runs them (``mass.run``, batch after batch; huey
queues the mail tasks in its SQLite file and nobody sends them). Numbers are
tickets per second; the ratio to the baseline of the same run is what to
compare between runs. ``--profile JOB`` prints where that job spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_child(options: argparse.Namespace) -> dict[str, Any]:
    """Inside the child: a generated desk, then the timings."""
    from bench.foundation import setup
    from bench.generate import generate, reindex_search

    setup(os.environ["DATABASE_URL"], os.environ["FRONTDESK_DATA_DIR"])
    from django.conf import settings
    from django.db import connection

    from accounts.models import Role, User
    from tickets import actions, mass
    from tickets.models import ACTIVE_STATUSES, MassAction, Queue, Ticket

    facts = generate(options.tickets, accounts=options.tickets // 10)
    reindex_search()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    Queue.objects.update(closed_ticket_response="Your ticket is closed. Write again any time.")
    admin = User.objects.filter(staff_profile__role=Role.ADMIN).order_by("pk").first()
    assert admin is not None
    working = list(
        Ticket.objects.filter(status__in=ACTIVE_STATUSES)
        .order_by("number")
        .values_list("number", "status", flat=False)
    )
    needed = options.baseline + options.close
    if len(working) < needed:
        raise SystemExit(f"only {len(working)} working tickets; generate more (--tickets)")
    baseline = [number for number, _status in working[: options.baseline]]
    chosen = working[options.baseline : needed]
    numbers = [(number, None) for number, _status in chosen]
    result: dict[str, Any] = {
        "database": connection.vendor,
        "tickets": facts["tickets"],
        "working": len(working),
        "batch": settings.MASS_ACTION_BATCH,
    }

    started = time.perf_counter()
    for number in baseline:
        actions.close(actor=admin, ticket=number, tell_customer=False)
    result["single_per_second"] = len(baseline) / (time.perf_counter() - started)

    def job(label: str, **asked: Any) -> None:
        started = time.perf_counter()
        made = mass.start(owner=admin, action=MassAction.CLOSE, **asked)
        # The worker's run, here: start() only queued it (huey is not immediate).
        mass.run(made.pk)
        seconds = time.perf_counter() - started
        made.refresh_from_db()
        assert made.state == "done" and made.refused == 0, (made.state, made.refusals[:3])
        result[label] = {
            "tickets": made.done,
            "seconds": seconds,
            "per_second": made.done / seconds,
        }

    from mail.models import OutgoingMail

    for label, asked in (
        ("quiet", {"numbers": numbers, "tell_customers": False}),
        ("telling", {"numbers": numbers, "tell_customers": True}),
        ("search", {"criteria": "", "tell_customers": False}),
    ):
        if label != "quiet":
            _put_back(chosen)
        mails = OutgoingMail.objects.count()
        profile = cProfile.Profile() if options.profile == label else None
        if profile is not None:
            profile.enable()
        job(label, **asked)
        if profile is not None:
            profile.disable()
            text = io.StringIO()
            stats = pstats.Stats(profile, stream=text)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)
            print(text.getvalue(), file=sys.stderr)
        result[label]["mails"] = OutgoingMail.objects.count() - mails
    return result


def _put_back(chosen: list[tuple[int, str]]) -> None:
    """Reopen the closed tickets as they were, with bare UPDATEs: benchmark set-up only."""
    from django.db import transaction

    from tickets.models import Ticket

    by_status: dict[str, list[int]] = {}
    for number, status in chosen:
        by_status.setdefault(status, []).append(number)
    with transaction.atomic():
        for status, numbers in by_status.items():
            for start in range(0, len(numbers), 5000):
                Ticket.objects.filter(number__in=numbers[start : start + 5000]).update(
                    status=status, closed_at=None
                )


def run_database(name: str, options: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-mass-") as workdir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "frontdesk.settings"}
        env.pop("REDIS_URL", None)  # the worker queue: a SQLite file in the folder
        env["HUEY_IMMEDIATE"] = "false"
        if name == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
        else:
            from bench.foundation import _recreate_postgres

            _recreate_postgres(options.postgres)
            env["DATABASE_URL"] = options.postgres
        env["FRONTDESK_DATA_DIR"] = workdir
        arguments = [
            sys.executable,
            "-m",
            "bench.mass",
            "--child",
            f"--tickets={options.tickets}",
            f"--close={options.close}",
            f"--baseline={options.baseline}",
        ]
        if options.profile:
            arguments.append(f"--profile={options.profile}")
        done = subprocess.run(  # noqa: S603
            arguments, env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
    if done.stderr:
        print(done.stderr[-20_000:], file=sys.stderr)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=80_000, help="the generated desk")
    parser.add_argument("--close", type=int, default=10_000, help="tickets a job closes")
    parser.add_argument("--baseline", type=int, default=1_000, help="tickets closed one by one")
    parser.add_argument("--postgres", help="also on this PostgreSQL database (dropped first)")
    parser.add_argument(
        "--profile",
        choices=["quiet", "telling", "search"],
        help="profile this job",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(run_child(options)))
        return
    names = ["sqlite", "postgres"] if options.postgres else ["sqlite"]
    print(
        f"{'database':<12}{'one by one/s':>14}{'job, quiet/s':>14}{'job, telling/s':>16}"
        f"{'job, search/s':>15}{'quiet: seconds':>16}{'ratio':>7}"
    )
    for name in names:
        result = run_database(name, options)
        print(json.dumps(result), file=sys.stderr)
        print(
            f"{result['database']:<12}{result['single_per_second']:>14.0f}"
            f"{result['quiet']['per_second']:>14.0f}{result['telling']['per_second']:>16.0f}"
            f"{result['search']['per_second']:>15.0f}{result['quiet']['seconds']:>16.1f}"
            f"{result['quiet']['per_second'] / result['single_per_second']:>6.1f}x"
        )


if __name__ == "__main__":
    main()

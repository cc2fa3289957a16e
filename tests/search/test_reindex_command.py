"""`frontdesk search reindex` rebuilds the index in batches; `verify` compares it."""

from __future__ import annotations

import importlib
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search import backends
from search.documents import Document
from tests.search.conftest import found


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str, stdout=None) -> str:
    out = stdout or io.StringIO()
    call_command("search", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def desk(world):
    return [
        world.ticket(world.support, title=f"Printer {n} offline", text=f"Message {n}.")
        for n in range(5)
    ]


def damage(desk) -> None:
    backend = backends.for_connection("default")
    backend.delete([desk[0].number], "default")
    backend.write([Document(desk[1].number, desk[1].version, "wrong", "", "", "")], "default")
    backend.write([Document(desk[-1].number + 1000, 1, "ghost", "", "", "")], "default")


def test_it_prints_progress_lines_where_there_is_no_terminal(desk):
    output = run("reindex", "--batch-size", "2")
    assert output.splitlines() == [
        "indexed 2 of 5 tickets (40%)",
        "indexed 4 of 5 tickets (80%)",
        "indexed 5 of 5 tickets (100%)",
        "5 tickets indexed.",
    ]


def test_it_draws_a_progress_bar_on_a_terminal(desk):
    output = run("reindex", "--batch-size", "2", stdout=Terminal())
    assert "100%" in output and "5/5" in output
    assert output.rstrip().endswith("5 tickets indexed.")


def test_it_rebuilds_a_damaged_index(world, desk):
    damage(desk)
    assert found(world.admin, "printer") != [t.number for t in reversed(desk)]
    with pytest.raises(CommandError):
        run("verify")
    run("reindex", "--batch-size", "2")
    assert "the index is current" in run("verify")
    assert sorted(found(world.admin, "printer")) == sorted(t.number for t in desk)
    assert found(world.admin, "ghost wrong") == []
    assert backends.for_connection("default").count("default") == len(desk)


def test_verify_names_what_differs(desk):
    damage(desk)
    out = io.StringIO()
    with pytest.raises(CommandError, match="reindex"):
        call_command("search", "verify", stdout=out, stderr=out)
    assert f"2 stale or missing rows: #{desk[0].number}, #{desk[1].number}" in out.getvalue()
    assert f"1 orphan rows: #{desk[-1].number + 1000}" in out.getvalue()


def test_running_it_twice_changes_nothing(world, desk):
    run("reindex")
    with connection.cursor() as cursor:
        first = _rows(cursor)
        run("reindex", "--batch-size", "3")
        assert _rows(cursor) == first
    assert "5 tickets checked" in run("verify")


def test_a_batch_size_below_one_is_refused(desk):
    with pytest.raises(CommandError, match="at least 1"):
        run("reindex", "--batch-size", "0")


def test_the_migration_fills_the_index_of_an_existing_desk(world, desk):
    backends.for_connection("default").delete([t.number for t in desk], "default")
    assert found(world.admin, "printer") == []
    migration = importlib.import_module("search.migrations.0002_fill_index")
    apps = MigrationExecutor(connection).loader.project_state(("search", "0002_fill_index")).apps
    # The fill needs no schema change: only the editor's connection.
    migration.fill(apps, SimpleNamespace(connection=connection))
    assert sorted(found(world.admin, "printer")) == sorted(t.number for t in desk)


def _rows(cursor) -> list[tuple]:
    if connection.vendor == "sqlite":
        cursor.execute("SELECT rowid, title, people, body, notes FROM search_ticket_fts ORDER BY 1")
    else:
        cursor.execute("SELECT ticket_id, version, vector FROM search_ticket_vector ORDER BY 1")
    return cursor.fetchall()

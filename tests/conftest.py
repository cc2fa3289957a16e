"""One person per role, shared by every test module (STYLE 7).

Queues: ``support`` (the default queue), ``billing`` and ``sales``. The
supervisor and the agent are entitled to billing; ``other_supervisor`` and
``other_agent`` to sales. Customers belong to account A or account B.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps.registry import Apps
from django.conf import settings as django_settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation
from huey.contrib.djhuey import HUEY

from accounts.actors import MAIL_GATEWAY, command
from accounts.models import Account, Contact, Role, StaffProfile, User
from tests.boundaries import RuntimeGuard
from tickets import actions
from tickets.files import IncomingFile
from tickets.models import HelpdeskSettings, Queue, Ticket, TicketType, forget_settings


def pytest_configure(config: pytest.Config) -> None:
    _redis_database_of_this_worker()
    # Settings never make a key (`frontdesk run` does) and pytest-django has
    # imported them already: set one here, also for the processes tests start.
    if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
        os.environ["SECRET_KEY"] = f"tests-only-{secrets.token_urlsafe(32)}"
        django_settings.SECRET_KEY = os.environ["SECRET_KEY"]
    # Production names static files from the manifest `collectstatic` writes; tests
    # render pages without collecting (tests/test_static_files.py tries the real one).
    django_settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


#: Tests whose outcome cannot depend on the database, run in the SQLite pass only
#: (DESIGN: "every test that matters runs on PostgreSQL as well as SQLite"). What
#: a page shows and who may open it, parsing, PGP, spelling, and installations
#: that make their own SQLite database; the domain's reads and writes under them
#: are tested on both by tests/test_*.py, search/, reports/, api/ and the rest.
#: ``--every-test`` runs them on PostgreSQL too.
ONE_DATABASE = (
    "tests/browser/",
    "tests/portal/",
    "tests/kb/",
    "tests/crypto/",
    "tests/spelling/",
    "tests/canned/",
    "tests/panel/",
    "tests/test_access_matrix.py",
    "tests/test_boundaries.py",
    "tests/test_commands.py",
    "tests/test_error_pages.py",
    "tests/test_languages.py",
    "tests/test_mail_parse.py",
    "tests/test_mail_parse_corpus.py",
    "tests/test_mail_parse_headers.py",
    "tests/test_mail_parse_text.py",
    "tests/test_mail_public_corpus.py",
    "tests/test_private_files.py",
    "tests/test_s3_storage.py",
    "tests/test_settings_env.py",
    "tests/test_startup.py",
    "tests/test_static_files.py",
    "tests/test_strings_marked.py",
    "tests/test_tls_settings.py",
)
#: ...except these panel tests, whose lists, counts, searches and mass changes
#: the database builds.
BOTH_DATABASES = (
    "tests/panel/test_advanced_search.py",
    "tests/panel/test_home.py",
    "tests/panel/test_list_costs.py",
    "tests/panel/test_lists.py",
    "tests/panel/test_mass_actions.py",
    "tests/panel/test_mass_jobs.py",
    "tests/panel/test_quick_search.py",
    "tests/panel/test_saved_views.py",
    "tests/panel/test_select_all.py",
    "tests/panel/test_undo_mass_close.py",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--every-test",
        action="store_true",
        help="on PostgreSQL, run the tests that only the SQLite pass runs too (tests/conftest.py)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if django_settings.DATABASES["default"]["ENGINE"] == "frontdesk.sqlite":
        return
    if config.getoption("--every-test"):
        return
    root = config.rootpath

    def once(item: pytest.Item) -> bool:
        path = item.path.relative_to(root).as_posix()
        return path.startswith(ONE_DATABASE) and not path.startswith(BOTH_DATABASES)

    deselected = [item for item in items if once(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not once(item)]


def _redis_database_of_this_worker() -> None:
    """Under pytest-xdist each worker queues in a Redis database of its own: the
    given one for the first, the one below it for the second, and so on. Test
    modules read ``TEST_REDIS_URL`` when imported, after this runs."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    base, _, database = url.rpartition("/")
    first = int(database) if database.isdigit() else 15
    os.environ["TEST_REDIS_URL"] = f"{base}/{max(first - int(worker[2:]), 0)}"


#: Test set-up that is nobody's work in the product acts as a console command.
SETUP = command("tests")


@pytest.fixture(scope="session")
def surface_guard() -> Iterator[RuntimeGuard]:
    guard = RuntimeGuard()
    guard.install()
    yield guard
    guard.uninstall()


@pytest.fixture(autouse=True)
def _surfaces_build_no_ticket_queries(surface_guard: RuntimeGuard) -> Iterator[None]:
    """Every test, browser tests included, fails when a surface builds a ticket query
    of its own instead of asking tickets/queries.py (see tests/boundaries.py)."""
    before = len(surface_guard.violations)
    yield
    new = surface_guard.violations[before:]
    del surface_guard.violations[before:]
    assert not new, "a surface built its own ticket query:\n" + "\n".join(map(str, new))


@pytest.fixture(autouse=True)
def _each_test_starts_in_english() -> Iterator[None]:
    """A request activates its person's language and time zone for its thread
    (frontdesk/languages.py) and the next request sets its own; a test's own code
    after a German customer's request must not read German (history words, mail)."""
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fast_passwords_and_inline_tasks(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    HUEY.immediate = True
    # A test's rolled-back settings row must not outlive it in the cache.
    forget_settings()


@pytest.fixture(autouse=True)
def _search_index_follows_every_change(request, monkeypatch):
    """The search index hears of changes through the domain signals, sent on commit,
    which a test's transaction never reaches: here each change is noted inside it,
    and the tickets noted are indexed, inside it, before the next search reads the
    index, so every test searches a current index and a test that never searches
    builds no documents. The indexing's queries are left out of the connection's
    log, so a count of a search page's queries is the page's own.
    tests/search/ asks for ``indexing_on_commit`` and tries the real way."""
    if "indexing_on_commit" in request.fixturenames:
        return
    from django.db import connection

    from search import api, backends, index, receivers
    from tickets import signals

    noted: dict[int, None] = {}  # in the order changed
    send_on_commit = signals.send_on_commit
    matching, for_connection = api.matching, backends.for_connection

    def note_then_send_on_commit(signal, change):
        receivers.ticket_changed(sender=Ticket, signal=signal, change=change)
        send_on_commit(signal, change)

    def index_noted() -> None:
        if not noted:
            return
        numbers = list(noted)
        noted.clear()
        logged = len(connection.queries_log)
        index.index_tickets(numbers)
        while len(connection.queries_log) > logged:
            connection.queries_log.pop()

    def index_noted_then(function):
        def call(*args, **kwargs):
            index_noted()
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(signals, "send_on_commit", note_then_send_on_commit)
    monkeypatch.setattr(receivers, "reindex", lambda numbers: noted.update(dict.fromkeys(numbers)))
    monkeypatch.setattr(receivers, "after_commit", lambda function: function())
    # Whatever reads or rebuilds the index: a search, `frontdesk search verify`.
    monkeypatch.setattr(api, "matching", index_noted_then(matching))
    monkeypatch.setattr(backends, "for_connection", index_noted_then(for_connection))
    monkeypatch.setattr(index, "for_connection", index_noted_then(for_connection))


@pytest.fixture
def migrate() -> Iterator[Callable[[list[tuple[str, str]]], Apps]]:
    """``migrate(targets)`` moves the database there and returns the models as they
    were; the test puts it back to the latest migrations. For tests of a migration,
    which are transactional (``django_db(transaction=True)``)."""

    def to(targets: list[tuple[str, str]]) -> Apps:
        executor = MigrationExecutor(connection)
        # Every other app stays where it is, so its models match its tables.
        moved = {app for app, _ in targets}
        others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
        executor.migrate([*others, *targets])
        return executor.loader.project_state([*others, *targets]).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def set_helpdesk(**values: object) -> HelpdeskSettings:
    """Change the settings row as an administrator does (through save)."""
    row = HelpdeskSettings.load()
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    return row


def make_staff(email: str, role: str, *queues: Queue, full_name: str = "") -> User:
    user = User.objects.create_user(email, "secret", full_name=full_name or email.split("@")[0])
    profile = StaffProfile.objects.create(user=user, role=role, full_name=user.full_name)
    for queue in queues:
        queue.staff.add(profile)
    return user


def make_customer(email: str, account: Account) -> User:
    user = User.objects.create_user(email, "secret", full_name=email.split("@")[0])
    Contact.objects.create(account=account, email=email, user=user)
    return user


@dataclass
class World:
    support: Queue
    billing: Queue
    sales: Queue
    account_a: Account
    account_b: Account
    customer_a: User
    customer_b: User
    agent: User
    other_agent: User
    supervisor: User
    other_supervisor: User
    admin: User

    def ticket(self, queue: Queue | None = None, *, account: Account | None = None, **kw) -> Ticket:
        """A fresh ticket from customer A (or of ``account``) opened by the system."""
        account = account or self.account_a
        requester = self.customer_a if account == self.account_a else self.customer_b
        return actions.open_ticket(
            actor=MAIL_GATEWAY,
            title=kw.pop("title", "Cannot log in"),
            requester_email=kw.pop("requester_email", requester.email),
            text=kw.pop("text", "Please help."),
            type=kw.pop("type", TicketType.EMAIL),
            queue=queue or self.support,
            account=account,
            **kw,
        )


@pytest.fixture
def world(db) -> World:
    # Migrations make the default queue; a transactional test's flush removes it.
    support, _ = Queue.objects.get_or_create(is_default=True, defaults={"name": "Support"})
    billing = Queue.objects.create(name="Billing")
    sales = Queue.objects.create(name="Sales")
    account_a = Account.objects.create(name="Account A", external_id="A-1")
    account_b = Account.objects.create(name="Account B", external_id="B-1")
    return World(
        support=support,
        billing=billing,
        sales=sales,
        account_a=account_a,
        account_b=account_b,
        customer_a=make_customer("alice@a.example", account_a),
        customer_b=make_customer("bob@b.example", account_b),
        agent=make_staff("agent@frontdesk.example", Role.AGENT, billing),
        other_agent=make_staff("agent2@frontdesk.example", Role.AGENT, sales),
        supervisor=make_staff("super@frontdesk.example", Role.SUPERVISOR, billing),
        other_supervisor=make_staff("super2@frontdesk.example", Role.SUPERVISOR, sales),
        admin=make_staff("admin@frontdesk.example", Role.ADMIN),
    )


@pytest.fixture
def media_root(settings, tmp_path):
    """Attachment files of a test go to a directory of their own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def upload(name: str, content: bytes = b"attached data", **kw: str) -> IncomingFile:
    """A file as actions receive it from a form or a parsed mail."""
    return IncomingFile.from_bytes(name, content, **kw)


def events_of(ticket: Ticket, version: int | None = None) -> list[tuple[str, str, str]]:
    """(code, old, new) of the events that produced ``version``, the current one by default."""
    if version is None:
        version = Ticket.objects.values_list("version", flat=True).get(pk=ticket.pk)
    return list(
        ticket.events.filter(version=version).order_by("id").values_list("code", "old", "new")
    )

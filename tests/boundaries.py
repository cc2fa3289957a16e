"""The rules that keep the surfaces (panel, portal, api, kb, reports) presenting only.

A surface reads tickets through tickets/queries.py (or tickets/visibility.py's
``get_ticket_for`` and ``can_see``), changes them through tickets/actions, and
acts only as the signed-in person. Two checks hold it:

- ``static_violations`` reads the surfaces' source (and templates): no manager
  of a ticket model, no queryset of the visibility rule taken to build on, no
  reverse relation queried, and no use of the system actor;
- ``RuntimeGuard`` watches every test: a queryset method that builds a query
  (``filter``, ``order_by``, ``annotate`` ...) on a ticket model, called from a
  surface's code, is recorded and fails the test.
"""

from __future__ import annotations

import ast
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

ROOT = Path(__file__).resolve().parent.parent
SURFACES = ("panel", "portal", "api", "kb", "reports")
#: Single modules outside those apps that serve pages.
SURFACE_MODULES = ("frontdesk.views",)
TICKET_MODELS = {"Ticket", "Message", "Attachment", "Event"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
# Querysets of the visibility rule: a surface would build its own query on them.
VISIBILITY_QUERYSETS = {
    "visible_tickets",
    "visible_unassigned",
    "visible_messages",
    "visible_attachments",
    "visible_queues",
    "visible_to_actor",
}
REVERSE_RELATIONS = {"events", "messages", "attachments", "tickets", "assigned_tickets"}
BUILDING_METHODS = (
    "filter",
    "exclude",
    "annotate",
    "alias",
    "aggregate",
    "order_by",
    "select_related",
    "prefetch_related",
    "values",
    "values_list",
    "extra",
    "distinct",
    "only",
    "defer",
    "select_for_update",
    "get",
    "union",
    "intersection",
    "difference",
    "in_bulk",
    "update",
    "delete",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
)
SYSTEM_MODULE = "accounts.actors"
# Templates may not reach a ticket's messages or history by its relations: the
# view hands them over, read through the rule (notes are not for everybody).
TEMPLATE_RELATION = re.compile(r"\.(events|messages|tickets|assigned_tickets)\b")


@dataclass(frozen=True)
class Violation:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def surface_files() -> Iterator[Path]:
    for name in SURFACES:
        folder = ROOT / name
        if folder.is_dir():
            paths = folder.rglob("*.py")
            yield from sorted(path for path in paths if "migrations" not in path.parts)
    for module in SURFACE_MODULES:
        yield ROOT / (module.replace(".", "/") + ".py")


def surface_templates() -> Iterator[Path]:
    for name in SURFACES:
        folder = ROOT / name / "templates"
        if folder.is_dir():
            yield from sorted(folder.rglob("*.html"))


def check_source(source: str, where: str) -> list[Violation]:
    """The rules of the module's docstring, for one surface module's source."""
    found: list[Violation] = []

    def report(node: ast.AST, what: str) -> None:
        found.append(Violation(f"{where}:{getattr(node, 'lineno', 0)}", what))

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == SYSTEM_MODULE:
                    report(node, "imports the system actor")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module == SYSTEM_MODULE or (module == "accounts" and "actors" in names):
                report(node, "imports the system actor")
            if module == "tickets.visibility" and names & VISIBILITY_QUERYSETS:
                report(node, f"takes {sorted(names & VISIBILITY_QUERYSETS)} to build a query on")
            if module == "tickets" and "visibility" in names:
                report(node, "imports tickets.visibility whole; use tickets.queries")
        elif isinstance(node, ast.Attribute):
            owner = node.value
            if node.attr in MANAGERS and isinstance(owner, ast.Name) and owner.id in TICKET_MODELS:
                report(node, f"queries {owner.id}.{node.attr} itself")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            relation = node.func.value
            if (
                node.func.attr in (*BUILDING_METHODS, "all")
                and isinstance(relation, ast.Attribute)
                and relation.attr in REVERSE_RELATIONS
            ):
                report(node, f"queries the relation .{relation.attr}.{node.func.attr}()")
    return found


def check_template(text: str, where: str) -> list[Violation]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in TEMPLATE_RELATION.finditer(line):
            found.append(Violation(f"{where}:{number}", f"reaches .{match.group(1)} in a template"))
    return found


def static_violations() -> list[Violation]:
    found: list[Violation] = []
    for path in surface_files():
        found += check_source(path.read_text(), str(path.relative_to(ROOT)))
    for path in surface_templates():
        found += check_template(path.read_text(), str(path.relative_to(ROOT)))
    return found


# Frames of these modules pass a call on: the caller above them is the one that asked.
_PASSING_ON = ("django.db.models.manager", "django.shortcuts")


class RuntimeGuard:
    """Records queryset-building calls on ticket models made from a surface's code."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self._lock = threading.Lock()
        self._originals: dict[str, Callable[..., Any]] = {}

    def install(self) -> None:
        from tickets.models import Attachment, Event, Message, Ticket

        guarded = (Ticket, Message, Attachment, Event)
        for name in BUILDING_METHODS:
            original = getattr(QuerySet, name, None)
            if original is None:
                continue
            self._originals[name] = original
            setattr(QuerySet, name, self._wrap(name, original, guarded))

    def uninstall(self) -> None:
        for name, original in self._originals.items():
            setattr(QuerySet, name, original)
        self._originals.clear()

    def _wrap(
        self, name: str, original: Callable[..., Any], guarded: tuple[type, ...]
    ) -> Callable[..., Any]:
        guard = self

        @wraps(original)
        def checked(queryset: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
            if queryset.model in guarded:
                guard._check(name, queryset.model.__name__)
            return original(queryset, *args, **kwargs)

        return checked

    def _check(self, method: str, model: str) -> None:
        frame = sys._getframe(2)
        while frame is not None and frame.f_globals.get("__name__", "").startswith(_PASSING_ON):
            frame = frame.f_back  # type: ignore[assignment]
        if frame is None:
            return
        module = frame.f_globals.get("__name__", "")
        if module.split(".", 1)[0] in SURFACES or module in SURFACE_MODULES:
            where = f"{frame.f_code.co_filename}:{frame.f_lineno}"
            with self._lock:
                self.violations.append(
                    Violation(where, f"{module} builds a {model} query ({method})")
                )

"""Fault tests: real processes, each stopped when its test ends (tests/faults/deployment.py).

Under pytest-xdist (``make test`` runs two processes) they all go to one worker,
one after another (``--dist loadgroup``): they start servers, kill them and time
what follows, and must not do that to each other.
"""

import pytest

from tests.faults.deployment import processes  # noqa: F401  (the fixture)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("faults") is not None:
            item.add_marker(pytest.mark.xdist_group("faults"))

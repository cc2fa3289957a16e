"""Fault tests: real processes, each stopped when its test ends (tests/faults/deployment.py)."""

from tests.faults.deployment import processes  # noqa: F401  (the fixture)

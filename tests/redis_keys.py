"""Keys of the tests that use the machine's real Redis server: one prefix per test run
and per worker, so that two runs at once (a developer's and CI's, or two worktrees) never
empty or read each other's keys."""

import os

RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid{os.getpid()}")[:12]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
PREFIX = f"rncrpv-test-{RUN}-{WORKER}"

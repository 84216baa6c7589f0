"""Tests on the production topology of scripts/stack.sh (PostgreSQL, Redis, Airflow with Celery
workers, a three-node TLS Elasticsearch cluster). Not collected by `make test`: they need the whole
stack (minutes to start, ~4 GB of memory). `make test-stack` sets BORDER_STACK_TEST=1 and runs them;
there, any failure to start or reach the stack fails the test instead of skipping it."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "scripts" / "stack.sh"

if os.environ.get("BORDER_STACK_TEST") != "1":
    collect_ignore_glob = ["test_*.py"]


def stack_env() -> dict[str, str]:
    """The stack's client settings (`scripts/stack.sh env`) as a dict."""
    out = subprocess.run([str(STACK), "env"], check=True, capture_output=True, text=True).stdout
    env = {}
    for line in out.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = shlex.split(value)[0] if value else ""
    return env


@pytest.fixture(scope="session")
def stack():
    """The running stack's settings; brings it up first (and down afterwards) if it was not up."""
    was_up = subprocess.run([str(STACK), "status"], capture_output=True).returncode == 0
    timings = {}
    if not was_up:
        t0 = time.monotonic()
        try:
            subprocess.run([str(STACK), "up"], check=True, timeout=900)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            subprocess.run([str(STACK), "down"], timeout=300)  # what a failed `up` did start
            raise
        timings["up_s"] = round(time.monotonic() - t0, 1)
    env = stack_env()
    env["_timings"] = timings
    yield env
    if not was_up and os.environ.get("BORDER_STACK_KEEP") != "1":
        subprocess.run([str(STACK), "down"], check=True, timeout=300)

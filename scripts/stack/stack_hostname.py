"""Airflow's `[core] hostname_callable` for scripts/stack.sh: two Celery workers on one machine
would both report the machine's name in their task instances; this adds the worker's name
(STACK_WORKER_NAME, set per worker) so a task instance shows which worker ran it."""

import os
import socket


def hostname() -> str:
    name = socket.getfqdn()
    worker = os.environ.get("STACK_WORKER_NAME")
    return f"{worker}.{name}" if worker else name

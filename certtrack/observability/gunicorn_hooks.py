"""Gunicorn settings for Prometheus' multiprocess mode: `gunicorn -c
python:certtrack.observability.gunicorn_hooks ...` with PROMETHEUS_MULTIPROC_DIR set to
an empty directory (emptied before each start). A worker that exits leaves its
counters behind for the scrape; child_exit tells the client library it is gone, so
its live gauges (none today) stop counting."""

from typing import Any

from prometheus_client import multiprocess


def child_exit(_server: Any, worker: Any) -> None:
    """Gunicorn's hook, called in the master when a worker exits."""
    multiprocess.mark_process_dead(worker.pid)

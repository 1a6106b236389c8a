"""A throwaway PostgreSQL server for the test session, started from the Debian binaries.

initdb refuses to run as root, so as root the server runs as the `postgres` user."""

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable

from tests.network import free_port

INSTALL = "apt-get install postgresql"


class NotInstalled(FileNotFoundError):
    """This machine has no PostgreSQL server binaries."""


def find_bindir() -> str | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return os.path.dirname(candidates[0]) if candidates else None


def start(database: str) -> tuple[str, Callable[[], None]]:
    """Start a server on 127.0.0.1 with `database` created; returns (url, stop)."""
    bindir = find_bindir()
    if bindir is None:
        raise NotInstalled(f"PostgreSQL server binaries not found ({INSTALL})")
    workdir = tempfile.mkdtemp(prefix="certtrack-pg-")
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(workdir, "postgres")

    def run(*args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", *args] if as_root else list(args)
        subprocess.run(command, check=True, capture_output=True, cwd=workdir)

    data, log, port = f"{workdir}/data", f"{workdir}/log", free_port()
    run(f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(f"{bindir}/pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start")
    run(f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database)

    def stop() -> None:
        run(f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(workdir, ignore_errors=True)

    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}", stop

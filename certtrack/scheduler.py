"""The processes that run the clock's jobs: `flask scheduler run`, one or several.

Never started from create_app: web workers (gunicorn, the debug reloader) would each run
every job. On PostgreSQL several may run, on several hosts: one leads (a lease,
services.leadership) and runs the daily pass, the others wait to take over; every one
dispatches the outbox (claims are leases too, so nothing is sent twice). On SQLite one
process runs everything. The daily pass runs whenever a process becomes the leader (at
start or on taking over: catching up whatever was missed meanwhile; it is idempotent)
and then every day at CERTTRACK_DAILY_PASS_AT in CERTTRACK_TIMEZONE; the dispatcher
every minute and right after each pass."""

import os
import signal
import socket
import threading
import uuid
from datetime import datetime
from types import FrameType
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from certtrack.clock import local_today
from certtrack.extensions import db
from certtrack.models.base import utcnow
from certtrack.services import leadership
from certtrack.services.dispatch import Outcome, send_due
from certtrack.services.reminders import run_daily_pass


class Process:
    """One scheduler process: its identity in the lease, and whether it leads."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.me = leadership.Candidate(uuid.uuid4().hex, socket.gethostname(), os.getpid())
        self.single = db.engine.dialect.name == "sqlite"
        self.leading = threading.Event()
        self.scheduler: BlockingScheduler | None = None

    def lead(self) -> None:
        """Take or renew the lease; on becoming the leader, catch up with the daily pass."""
        with self.app.app_context():
            try:
                won = leadership.try_lead(self.me, utcnow(), force=self.single)
            except Exception:
                # A database that went away: no lease renewed, so lead no more.
                self.app.logger.exception("scheduler: could not renew the lease")
                won = False
        if won and not self.leading.is_set():
            self.leading.set()
            self.app.logger.info("scheduler: leading; running the daily pass")
            self._run_soon("daily-pass")
        elif not won and self.leading.is_set():
            self.leading.clear()
            self.app.logger.warning("scheduler: lost the lease; another process leads")

    def daily_pass(self) -> None:
        if not self.leading.is_set():
            return  # the cron fires in every process; only the leader runs the pass
        with self.app.app_context():
            leadership.pass_started(utcnow())
            try:
                result = run_daily_pass(local_today())
            except Exception as error:
                db.session.rollback()
                leadership.pass_ended(utcnow(), f"failed: {type(error).__name__}")
                raise
            summary = f"{result.events} events, {result.written} messages queued"
            leadership.pass_ended(utcnow(), f"ok: {summary}")
            self.app.logger.info("daily pass: %s", summary)
        self.dispatch()  # what the pass queued goes out now, not in a minute

    def dispatch(self) -> None:
        with self.app.app_context():
            started = utcnow()
            outcome = send_due()
            leadership.dispatched(started, utcnow(), str(outcome))
            if outcome != Outcome():
                self.app.logger.info("outbox: %s", outcome)

    def stop(self) -> None:
        if self.leading.is_set():
            with self.app.app_context():
                leadership.release(self.me, utcnow())

    def _run_soon(self, job: str) -> None:
        if self.scheduler is not None:
            self.scheduler.modify_job(job, next_run_time=datetime.now(self.scheduler.timezone))


def build(process: Process) -> BlockingScheduler:
    app = process.app
    zone = ZoneInfo(app.config["CERTTRACK_TIMEZONE"])
    hour, minute = (int(part) for part in app.config["CERTTRACK_DAILY_PASS_AT"].split(":"))
    with app.app_context():
        every = leadership.renew_every()
    scheduler = BlockingScheduler(
        timezone=zone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
    )
    now = datetime.now(zone)
    scheduler.add_job(
        process.lead,
        IntervalTrigger(seconds=every.total_seconds(), timezone=zone),
        id="lead",
        next_run_time=now,
        misfire_grace_time=None,
    )
    scheduler.add_job(
        process.daily_pass, CronTrigger(hour=hour, minute=minute, timezone=zone), id="daily-pass"
    )
    scheduler.add_job(
        process.dispatch,
        IntervalTrigger(minutes=1, timezone=zone),
        id="dispatch",
        next_run_time=now,
    )
    process.scheduler = scheduler
    return scheduler


def run(app: Flask) -> None:
    """Block until SIGTERM or SIGINT, then let running jobs finish, give the lease up and
    stop."""
    with app.app_context():
        process = Process(app)
    if process.single:
        app.logger.info("scheduler: SQLite, a single scheduler process (failover needs PostgreSQL)")
    else:
        app.logger.info(
            "scheduler: PostgreSQL, leader election on; takeover within %s s",
            app.config["CERTTRACK_SCHEDULER_TAKEOVER_SECONDS"],
        )
    scheduler = build(process)

    def stop(signum: int, _frame: FrameType | None) -> None:
        app.logger.info("scheduler stopping (signal %s)", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
    process.stop()

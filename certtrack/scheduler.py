"""The one process that runs the clock's jobs: `flask scheduler run`.

Never started from create_app: web workers (gunicorn, the debug reloader) would each run
every job. The daily pass runs at start (catching up whatever was missed while the
process was down; it is idempotent) and then every day at CERTTRACK_DAILY_PASS_AT in
CERTTRACK_TIMEZONE; the dispatcher runs every minute."""

import signal
from datetime import datetime
from types import FrameType
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from certtrack.clock import local_today
from certtrack.services.dispatch import Outcome, send_due
from certtrack.services.reminders import run_daily_pass


def daily_pass(app: Flask) -> None:
    # Jobs run in the scheduler's thread pool, outside any app context.
    with app.app_context():
        result = run_daily_pass(local_today())
        app.logger.info("daily pass: %s events, %s messages queued", result.events, result.written)


def dispatch(app: Flask) -> None:
    with app.app_context():
        outcome = send_due()
        if outcome != Outcome():
            app.logger.info("outbox: %s", outcome)


def build(app: Flask) -> BlockingScheduler:
    zone = ZoneInfo(app.config["CERTTRACK_TIMEZONE"])
    hour, minute = (int(part) for part in app.config["CERTTRACK_DAILY_PASS_AT"].split(":"))
    scheduler = BlockingScheduler(
        timezone=zone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
    )
    now = datetime.now(zone)
    scheduler.add_job(
        daily_pass,
        CronTrigger(hour=hour, minute=minute, timezone=zone),
        args=[app],
        id="daily-pass",
        next_run_time=now,
    )
    scheduler.add_job(
        dispatch,
        IntervalTrigger(minutes=1, timezone=zone),
        args=[app],
        id="dispatch",
        next_run_time=now,
    )
    return scheduler


def run(app: Flask) -> None:
    """Block until SIGTERM or SIGINT, then let running jobs finish and stop."""
    scheduler = build(app)

    def stop(signum: int, _frame: FrameType | None) -> None:
        app.logger.info("scheduler stopping (signal %s)", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()

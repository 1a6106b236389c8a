"""The daily pass costs a fixed number of statements; the commands and the scheduler
process run it for real."""

import signal
import subprocess
import sys
import time
from datetime import date, timedelta

from certtrack.clock import local_today
from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus
from certtrack.services import applications
from certtrack.services.reminders import decide
from certtrack.statements import recorded
from certtrack.workflow.policy import load_policy
from tests.builders import Journey, make_cast
from tests.conftest import BACKEND
from tests.reminders.conftest import flask_env
from tests.reminders.test_delivery import clusters_with_labels

DAY = date(2016, 10, 1)


def test_deciding_is_a_fixed_number_of_queries(mail_app, smtp):
    from tests.database import empty_tables

    counts = []
    for size in (2, 20):
        clusters_with_labels(size)
        with recorded(db.engine) as statements:
            drafts = decide(DAY, load_policy())
        assert len(drafts) > 2 * size  # each cluster has something due
        counts.append(len(statements))
        db.session.remove()
        empty_tables()
    # At most two per reminder kind (its candidates, the keys already written) and a few.
    assert counts[0] == counts[1] <= 22, counts


def test_cli_runs_one_pass_and_sends(mail_app, smtp):
    clusters_with_labels(1)
    runner = mail_app.test_cli_runner()
    result = runner.invoke(args=["reminders", "run", "--today", "2016-10-01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2016-10-01: 1 workflow events, ")  # open_renewal
    queued = db.session.query(OutboxMessage).filter_by(status=OutboxStatus.PENDING).count()
    assert f"{queued} messages queued." in result.output
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert result.output.startswith(f"{len(smtp.inbox.received)} sent, 0 to retry, 0 failed")
    result = runner.invoke(args=["reminders", "run", "--today", "2016-10-01"])
    assert "0 workflow events, 0 messages queued." in result.output  # idempotent
    assert runner.invoke(args=["reminders", "run", "--today", "1st of May"]).exit_code == 2


def test_scheduler_process_sends_then_stops_cleanly_on_sigterm(mail_app, smtp, migrated):
    """The real process on the real clock: a step taken today is notified, the pass's
    digest goes out right after the pass, then SIGTERM stops it cleanly."""
    journey = Journey(make_cast())
    application = journey.start(day=local_today() - timedelta(days=1))
    applications.fire(application, "submit", journey.cast.manager, today=local_today())
    env = flask_env(migrated, smtp)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "scheduler", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(smtp.inbox.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)  # waiting for another process, not for the clock
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert sorted(r.subject for r in smtp.inbox.received) == [
        "DITENAVE submitted a Bronze application",
        "certtrack weekly: 1 items need attention",
    ]
    assert process.returncode == 0, output
    assert "scheduler started: daily pass at 06:30" in output
    assert "scheduler: SQLite, a single scheduler process" in output or BACKEND != "sqlite"
    assert "outbox: Outcome(sent=" in output
    assert "scheduler stopped" in output

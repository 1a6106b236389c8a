"""Command-line interface: `flask seed-demo`, `flask seed-scale`, `flask users create`,
`flask workflow diagram`, `flask peers rebuild`."""

from datetime import datetime

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Agency, Cluster, Role
from certtrack.workflow.errors import WorkflowError

users_cli = AppGroup("users", help="Manage accounts.")
workflow_cli = AppGroup("workflow", help="Inspect the certification workflow.")
reminders_cli = AppGroup("reminders", help="The daily pass of reminders.")
outbox_cli = AppGroup("outbox", help="The queue of outgoing messages.")
scheduler_cli = AppGroup("scheduler", help="The process that runs the clock's jobs.")
peers_cli = AppGroup("peers", help="The snapshot the report's peer statistics read.")
import_cli = AppGroup("import", help="Bring an agency's existing portfolio in.")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(workflow_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_scale)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(peers_cli)
    app.cli.add_command(import_cli)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--agency", help="Agency short name (coordinators).")
@click.option("--cluster", help="Cluster name (managers).")
def create_user_command(
    email: str, name: str, role: str, password: str, agency: str | None, cluster: str | None
) -> None:
    """Create an account."""
    from certtrack.services.users import create_user

    agency_row = cluster_row = None
    if agency:
        agency_row = db.session.scalar(select(Agency).where(Agency.short_name == agency))
        if agency_row is None:
            raise click.BadParameter(f"no agency with short name {agency!r}", param_hint="--agency")
    if cluster:
        cluster_row = db.session.scalar(select(Cluster).where(Cluster.name == cluster))
        if cluster_row is None:
            raise click.BadParameter(f"no cluster named {cluster!r}", param_hint="--cluster")
    try:
        user = create_user(
            email=email,
            name=name,
            role=role,
            password=password,
            agency=agency_row,
            cluster=cluster_row,
        )
    except WorkflowError as exc:
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        raise click.ClickException(f"{exc.message} {details}") from None
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@workflow_cli.command("diagram")
@click.option("--markdown", is_flag=True, help="Print docs/workflow.md instead of bare Mermaid.")
def diagram_command(markdown: bool) -> None:
    """Print the workflow as a Mermaid state diagram."""
    from certtrack.workflow import diagram

    click.echo(diagram.markdown() if markdown else diagram.mermaid(), nl=False)


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load demo data (idempotent) and print the demo logins."""
    from certtrack.demo import seed

    for line in seed():
        click.echo(line)


@click.command("seed-scale")
@click.option("--clusters", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True)
@click.option("--labels-per-cluster", type=click.IntRange(1, 40), default=10, show_default=True)
@click.option("--agencies", type=click.IntRange(1, 1000), default=20, show_default=True)
@with_appcontext
def seed_scale(clusters: int, labels_per_cluster: int, agencies: int) -> None:
    """Seed a large, consistent scheme for benchmarks and demos (bulk inserts).

    Every cluster gets a chain of labels over the years, each superseding the one
    before, and ends in one of the workflow's states; all users (an admin, a
    coordinator per agency, consultants, a manager per cluster) share one password,
    printed at the end. Refuses a database that already holds agencies, clusters,
    users or applications (there is no --force): run it on an empty, migrated
    database. Writes nothing to the outbox.
    """
    from certtrack.demo.scale import NotEmpty
    from certtrack.demo.scale import seed_scale as seed

    try:
        made = seed(clusters, labels_per_cluster, agencies)
    except NotEmpty as exc:
        raise click.ClickException(f"{exc}; nothing was added.") from None
    for line in made.lines():
        click.echo(line)


@reminders_cli.command("run")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to decide for (default: today in CERTTRACK_TIMEZONE).",
)
def reminders_run(today: datetime | None) -> None:
    """Run one daily pass: time events, then reminders into the outbox (for cron)."""
    from certtrack.clock import local_today
    from certtrack.services.reminders import run_daily_pass

    day = today.date() if today else local_today()
    result = run_daily_pass(day)
    click.echo(
        f"{day.isoformat()}: {result.events} workflow events, {result.written} messages queued."
    )


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send the messages that are due (for cron)."""
    from certtrack.services.dispatch import send_due

    outcome = send_due()
    click.echo(
        f"{outcome.sent} sent, {outcome.retried} to retry, {outcome.failed} failed, "
        f"{outcome.cancelled} cancelled."
    )


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the daily pass and the dispatcher until stopped (SIGTERM or Ctrl-C)."""
    from flask import current_app

    from certtrack import scheduler
    from certtrack.observability.request_log import log_whole_process

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    log_whole_process(app)  # a long-running process: say what each job did, once
    click.echo(f"scheduler started: daily pass at {app.config['CERTTRACK_DAILY_PASS_AT']}")
    scheduler.run(app)
    click.echo("scheduler stopped")


@peers_cli.command("rebuild")
def peers_rebuild() -> None:
    """Recompute the peer snapshot from the delivered reports and the labels."""
    from certtrack.services import peer_snapshot
    from certtrack.services.transaction import committed

    with committed():
        peer_snapshot.rebuild()
    click.echo("Peer snapshot rebuilt.")


@import_cli.command("clusters")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--agency", "short_name", required=True, help="The agency's short name.")
@click.option("--commit", is_flag=True, help="Write the rows; without it, only the preview.")
def import_clusters(file: str, short_name: str, commit: bool) -> None:
    """Import clusters, managers and labels from a CSV or XLSX file (the history names no
    one, like the daily pass's steps).
    A file with a refused row exits with status 1 and writes nothing."""
    from pathlib import Path

    from certtrack.clock import local_today
    from certtrack.models.base import utcnow
    from certtrack.services import portfolio_import

    agency = db.session.scalar(select(Agency).where(Agency.short_name == short_name))
    if agency is None:
        raise click.BadParameter(f"no agency with short name {short_name!r}", param_hint="--agency")
    path = Path(file)
    with path.open("rb") as stream:
        content = stream.read(portfolio_import.max_bytes() + 1)
    try:
        plan = portfolio_import.plan(agency, content, path.name, today=local_today())
    except WorkflowError as exc:
        raise click.ClickException(exc.message) from None
    for row in plan.rows:
        details = "; ".join(
            f"{portfolio_import.column_name(key)}: {problem}"
            for key, problem in row.problems.items()
        )
        click.echo(
            f"row {row.line}\t{row.outcome}\t{row.cluster}\t{details or ', '.join(row.changes)}"
        )
    counts = plan.counts()
    click.echo(", ".join(f"{n} {outcome}" for outcome, n in counts.items()) + ".")
    if plan.refused:
        raise click.ClickException(f"{len(plan.refused)} rows refused; nothing was imported.")
    if commit:
        portfolio_import.commit(plan, None, now=utcnow())
        click.echo("Imported.")
    else:
        click.echo("Preview only: run again with --commit to import.")

"""Command-line interface: `flask seed-demo`, `flask users create`, `flask workflow diagram`."""

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Agency, Cluster, Role
from certtrack.workflow.errors import WorkflowError

users_cli = AppGroup("users", help="Manage accounts.")
workflow_cli = AppGroup("workflow", help="Inspect the certification workflow.")


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(workflow_cli)
    app.cli.add_command(seed_demo)


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

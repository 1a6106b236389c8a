"""Cluster profiles and accounts: validation, permissions, the CLI."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Role, User
from certtrack.services.clusters import create_cluster, update_cluster
from certtrack.services.users import create_user, set_password, verify_password
from certtrack.workflow.errors import ForbiddenForRole, InvalidParams
from tests.builders import make_cast, snapshot


def test_coordinator_registers_a_cluster(ctx):
    cast = make_cast()
    cluster = create_cluster(
        cast.agency,
        cast.coordinator,
        {
            "name": " Polo Tecnologico di Pordenone ",
            "country": "it",
            "staff_fte": "3.5",
            "committed_members": "61",
            "member_types": ["sme", "research", "sme"],
            "website": "https://www.polo.pn.it",
        },
    )
    assert (cluster.name, cluster.country, cluster.staff_fte, cluster.committed_members) == (
        "Polo Tecnologico di Pordenone",
        "IT",
        Decimal("3.5"),
        61,
    )
    assert cluster.member_types == ["research", "sme"]


def test_profile_errors_name_each_field(ctx):
    cast = make_cast()
    before = snapshot()
    with pytest.raises(InvalidParams) as refused:
        update_cluster(
            cast.cluster,
            cast.manager,
            {
                "name": "moravian engineering cluster",
                "country": "Italy",
                "website": "www.example",
                "staff_fte": "-1",
                "committed_members": 4.5,
                "member_types": ["sme", "aliens"],
                "eccp_listed": "yes",
                "colour": "blue",
            },
        )
    assert set(refused.value.fields) == {
        "name",
        "country",
        "website",
        "staff_fte",
        "committed_members",
        "member_types",
        "eccp_listed",
        "colour",
    }
    assert refused.value.fields["name"] == "Another cluster already has this name."
    assert snapshot() == before


@pytest.mark.parametrize("member_types", ["sme", [["sme"]], [{"sme": 1}], [None], [3]])
def test_member_types_must_be_a_list_of_known_names(ctx, member_types):
    cast = make_cast()
    before = snapshot()
    with pytest.raises(InvalidParams) as refused:
        update_cluster(cast.cluster, cast.manager, {"member_types": member_types})
    assert refused.value.fields["member_types"].startswith("Choose from: ")
    assert snapshot() == before


def test_who_may_edit_a_profile(ctx):
    cast = make_cast()
    update_cluster(cast.cluster, cast.manager, {"committed_members": 50})
    update_cluster(cast.cluster, cast.coordinator, {"sector": "Naval"})
    update_cluster(cast.cluster, cast.admin, {"region": "FVG"})
    assert (cast.cluster.committed_members, cast.cluster.sector, cast.cluster.region) == (
        50,
        "Naval",
        "FVG",
    )
    for outsider in (cast.other_manager, cast.other_coordinator, cast.consultant):
        with pytest.raises(ForbiddenForRole):
            update_cluster(cast.cluster, outsider, {"sector": "x"})
    with pytest.raises(ForbiddenForRole):
        create_cluster(cast.agency, cast.other_coordinator, {"name": "X", "country": "IT"})


def test_create_user_validates_membership_and_hashes(ctx):
    cast = make_cast()
    user = create_user(
        email="Maria.Rossi@Area.Example",
        name="Maria Rossi",
        role="manager",
        password="s3cret-pass",
        cluster=cast.cluster,
    )
    assert user.email == "maria.rossi@area.example"
    assert user.password_hash != "s3cret-pass" and verify_password(user, "s3cret-pass")
    assert not verify_password(user, "wrong")
    with pytest.raises(InvalidParams) as refused:
        create_user(email="maria.rossi@area.example", name=" ", role="manager", password="short")
    assert set(refused.value.fields) == {"email", "name", "cluster", "password"}
    with pytest.raises(InvalidParams) as refused:
        create_user(email="not-an-email", name="X", role="wizard")
    assert set(refused.value.fields) == {"email", "role"}
    invited = create_user(email="new@x.example", name="New", role=Role.CONSULTANT)
    assert invited.password_hash is None and not verify_password(invited, "")
    set_password(invited, "long enough")
    assert verify_password(invited, "long enough")


def test_cli_users_create(runner, app):
    with app.app_context():
        make_cast()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "c@informest.example",
            "--name",
            "Chiara",
            "--role",
            "coordinator",
            "--agency",
            "INF",
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created coordinator c@informest.example" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "c@informest.example"))
        assert user.agency.short_name == "INF"
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@y.example",
            "--name",
            "X",
            "--role",
            "manager",
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code == 1
    assert "A manager belongs to a cluster." in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@y.example",
            "--name",
            "X",
            "--role",
            "coordinator",
            "--agency",
            "NOPE",
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code == 2
    assert "no agency with short name 'NOPE'" in result.output

"""The one set of visibility rules, as SQL filters and as row checks, agree."""

from datetime import date

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, Cluster
from certtrack.services import access
from certtrack.workflow.errors import ForbiddenForRole, NotFound
from tests.builders import Journey, add_cluster, make_cast


@pytest.fixture
def world(ctx):
    cast = make_cast()
    Journey(cast).start()
    other = Journey(cast)
    other.cluster, other.manager = cast.other_cluster, cast.other_manager
    other.coordinator = cast.other_coordinator
    other.start()
    other.submit_and_assign(cast.second_consultant, date(2014, 7, 1))
    add_cluster(cast.agency, "ASDI Sedia")  # no applications yet
    return cast


def visible(filter_, model):
    return set(db.session.scalars(select(model.id).where(filter_)))


def test_filters_match_checks_for_every_role(world):
    cast = world
    clusters = db.session.scalars(select(Cluster)).all()
    apps = db.session.scalars(select(Application)).all()
    for user in (
        cast.admin,
        cast.coordinator,
        cast.other_coordinator,
        cast.manager,
        cast.other_manager,
        cast.consultant,
        cast.second_consultant,
    ):
        assert visible(access.cluster_filter(user), Cluster) == {
            c.id for c in clusters if access.can_view_cluster(user, c)
        }, user
        assert visible(access.application_filter(user), Application) == {
            a.id for a in apps if access.can_view_application(user, a)
        }, user
        joined = select(Application.id).join(Application.cluster)
        assert set(
            db.session.scalars(joined.where(access.application_filter(user, cluster_joined=True)))
        ) == {a.id for a in apps if access.can_view_application(user, a)}, user


def test_who_sees_what(world):
    cast = world

    def names(user):
        return set(db.session.scalars(select(Cluster.name).where(access.cluster_filter(user))))

    assert names(cast.admin) == {"DITENAVE", "Moravian Engineering Cluster", "ASDI Sedia"}
    assert names(cast.coordinator) == {"DITENAVE", "ASDI Sedia"}
    assert names(cast.manager) == {"DITENAVE"}
    assert names(cast.second_consultant) == {"Moravian Engineering Cluster"}
    assert names(cast.consultant) == set()
    cast.coordinator.active = False
    db.session.commit()
    assert names(cast.coordinator) == set()


def test_get_refuses_with_403_and_404(world):
    cast = world
    mine = db.session.scalar(select(Application).where(Application.cluster_id == cast.cluster.id))
    assert access.get_application(cast.manager, mine.id) is mine
    with pytest.raises(ForbiddenForRole):
        access.get_application(cast.other_manager, mine.id)
    with pytest.raises(ForbiddenForRole):
        access.get_cluster(cast.consultant, cast.cluster.id)
    with pytest.raises(NotFound):
        access.get_application(cast.admin, 999_999)
    assert access.can_edit_cluster(cast.manager, cast.cluster)
    assert not access.can_edit_cluster(cast.other_coordinator, cast.cluster)
    assert not access.can_edit_cluster(cast.consultant, cast.cluster)

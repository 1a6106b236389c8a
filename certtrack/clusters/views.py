from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from certtrack.clock import local_today
from certtrack.clusters.forms import ClusterForm, InviteManagerForm, StartApplicationForm
from certtrack.extensions import db
from certtrack.models import (
    Agency,
    Application,
    Cluster,
    IndicatorValue,
    Label,
    Level,
    ProgressNote,
    Recommendation,
    Report,
    Role,
    User,
)
from certtrack.services import access, applications, path, portfolio
from certtrack.services.clusters import create_cluster, update_cluster
from certtrack.services.invitations import invite
from certtrack.services.users import create_user
from certtrack.web import (
    actor,
    form_status,
    paginate,
    roles_required,
    save_form,
)
from certtrack.workflow import permissions
from certtrack.workflow.engine import offered_steps
from certtrack.workflow.policy import load_policy
from certtrack.workflow.types import Thing

bp = Blueprint("clusters", __name__, url_prefix="/clusters")
INVITERS = (Role.COORDINATOR, Role.ADMIN)  # invite managers to their clusters


@bp.get("")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def index() -> str:
    user, search = actor(), request.args.get("q", "").strip()
    query = select(Cluster).where(access.cluster_filter(user)).options(joinedload(Cluster.agency))
    if search:
        query = query.where(func.lower(Cluster.name).like(f"%{search.lower()}%"))
    page = paginate(query.order_by(Cluster.name, Cluster.id))
    labels, open_apps = portfolio.standing([cluster.id for cluster in page.items])
    return render_template(
        "clusters/index.html",
        page=page,
        labels=labels,
        open_apps=open_apps,
        q=search,
        day=local_today(),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
def new() -> str | Response | tuple[str, int]:
    user = actor()
    form = ClusterForm()
    agencies = portfolio.agencies() if user.role == Role.ADMIN else [user.agency]
    form.agency_id.choices = [(a.id, a.name) for a in agencies if a is not None]
    if form.validate_on_submit():
        agency = db.session.get(Agency, form.agency_id.data)
        if agency is None or agency not in agencies:
            abort(403)
        done = save_form(
            form,
            lambda: create_cluster(agency, user, form.profile()),
            _("%(name)s is registered.", name=form.name.data),
            lambda cluster: url_for("clusters.detail", cluster_id=cluster.id),
        )
        if done:
            return done
    return render_template("clusters/form.html", form=form, cluster=None), form_status(form)


@bp.get("/<int:cluster_id>")
@login_required
def detail(cluster_id: int) -> str:
    user, day, policy = actor(), local_today(), load_policy()
    access.get_cluster(user, cluster_id)
    cluster = db.session.scalars(
        select(Cluster)
        .where(Cluster.id == cluster_id)
        .options(
            joinedload(Cluster.agency),
            selectinload(Cluster.managers),
            selectinload(Cluster.labels),
            selectinload(Cluster.applications).options(
                joinedload(Application.consultant),
                joinedload(Application.label),
                selectinload(Application.improvement_areas),
                # The offered steps' guards read them (the report's completeness).
                selectinload(Application.indicator_values).joinedload(IndicatorValue.indicator),
                joinedload(Application.report)
                .selectinload(Report.recommendations)
                .selectinload(Recommendation.notes)
                .joinedload(ProgressNote.author),
            ),
        )
        .execution_options(populate_existing=True)
    ).one()
    # A consultant sees the cluster only through the applications assigned to them:
    # another expert's report, notes and history stay out of the page.
    visible = [a for a in cluster.applications if access.can_view_application(user, a)]
    current = path.current_application(visible)
    reviewed = [a for a in visible if a.report_delivered]
    history = paginate(
        applications.history_query(user, Application.cluster_id == cluster.id),
        param="history_page",
    )
    held = portfolio.held_label(cluster.labels)
    start_form = None
    if (current is None or current.is_closed) and _may_start(user, cluster):
        start_form = StartApplicationForm(level=_suggested_level(held))
    return render_template(
        "clusters/detail.html",
        cluster=cluster,
        applications=visible,
        current=current,
        actions=offered_steps(current, user, today=day, policy=policy) if current else [],
        next_step=path.next_step(current, day, policy),
        timeline=path.timeline(cluster, day, policy),
        held=held,
        followed=reviewed[-1] if reviewed else None,
        history=history,
        start_form=start_form,
        can_invite=user.role in INVITERS and access.can_edit_cluster(user, cluster),
        day=day,
    )


@bp.route("/<int:cluster_id>/edit", methods=["GET", "POST"])
@login_required
def edit(cluster_id: int) -> str | Response | tuple[str, int]:
    user = actor()
    cluster = access.get_cluster(user, cluster_id)
    refused = permissions.refusal(user, cluster, Thing.PROFILE)
    if refused:
        raise refused
    form = ClusterForm(obj=cluster)
    form.agency_id.choices = [(cluster.agency_id, cluster.agency.name)]
    form.agency_id.data = cluster.agency_id
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: update_cluster(cluster, user, form.profile()),
            _("The profile is saved."),
            url_for("clusters.detail", cluster_id=cluster.id),
        )
        if done:
            return done
    return render_template("clusters/form.html", form=form, cluster=cluster), form_status(form)


@bp.route("/<int:cluster_id>/invite", methods=["GET", "POST"])
@roles_required(*INVITERS)
def invite_manager(cluster_id: int) -> str | Response | tuple[str, int]:
    """A coordinator adds a manager to a cluster of the agency and invites them."""
    user = actor()
    cluster = access.get_cluster(user, cluster_id)
    if not access.can_edit_cluster(user, cluster):
        abort(403)
    form = InviteManagerForm()
    if form.validate_on_submit():

        def create_and_invite() -> User:
            manager = create_user(
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role.MANAGER,
                cluster=cluster,
                locale=user.locale,
            )
            invite(manager, user)
            return manager

        done = save_form(
            form,
            create_and_invite,
            _(
                "%(name)s is invited to manage %(cluster)s.",
                name=form.name.data,
                cluster=cluster.name,
            ),
            url_for("clusters.detail", cluster_id=cluster.id),
        )
        if done:
            return done
    page = render_template("clusters/invite.html", form=form, cluster=cluster)
    return page, form_status(form)


@bp.post("/<int:cluster_id>/applications")
@login_required
def start_application(cluster_id: int) -> Response:
    user = actor()
    cluster = access.get_cluster(user, cluster_id)
    form = StartApplicationForm()
    if not form.validate_on_submit():
        abort(400)
    application = applications.open_application(cluster, Level(form.level.data), user)
    flash(_("The application is started as a draft."), "success")
    return redirect(url_for("applications.detail", application_id=application.id))


def _may_start(user: User, cluster: Cluster) -> bool:
    return access.can_edit_cluster(user, cluster)


def _suggested_level(held: Label | None) -> str:
    if held is None:
        return Level.BRONZE.value
    return (held.level.next or held.level).value

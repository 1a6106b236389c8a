from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from certtrack.admin.forms import AgencyForm, RevokeLabelForm, UserForm, settings_form
from certtrack.clock import local_today
from certtrack.extensions import db
from certtrack.models import Agency, Cluster, LabelStatus, Role, User
from certtrack.models.base import utcnow
from certtrack.services import labels
from certtrack.services.agencies import save_agency
from certtrack.services.invitations import invite
from certtrack.services.settings import FIELDS, overridden, save_settings
from certtrack.services.system_status import outbox_depth, scheduler_status
from certtrack.services.users import create_user, update_user
from certtrack.web import actor, form_status, paginate, roles_required, save_form
from certtrack.workflow.policy import load_policy

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@roles_required(Role.ADMIN)
def users() -> str:
    role, search = request.args.get("role", ""), request.args.get("q", "").strip()
    query = select(User).options(joinedload(User.agency), joinedload(User.cluster))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    page = paginate(query.order_by(User.name, User.id))
    return render_template("admin/users.html", page=page, role=role, q=search, roles=list(Role))


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user(user_id: int | None = None) -> str | Response | tuple[str, int]:
    account = db.session.get(User, user_id) if user_id else None
    if user_id and account is None:
        abort(404)
    form = UserForm(obj=account, data=_user_data(account) if account else None)
    agencies = list(db.session.scalars(select(Agency).order_by(Agency.name)))
    clusters = list(db.session.scalars(select(Cluster).order_by(Cluster.name)))
    form.agency_id.choices = [(0, "—")] + [(a.id, a.name) for a in agencies]
    form.cluster_id.choices = [(0, "—")] + [(c.id, c.name) for c in clusters]
    form.conflicts.choices = [(c.id, c.name) for c in clusters]
    if account is not None:
        del form.email  # the address identifies the account
    if form.validate_on_submit():
        chosen = _membership(form)
        if account is None:
            done = save_form(
                form,
                lambda: _create_and_invite(form, chosen),
                _(
                    "The account of %(name)s is created; the invitation is on its way.",
                    name=form.name.data,
                ),
                url_for("admin.users"),
                _FIELD_ALIASES,
            )
        else:
            conflicts = [c for c in clusters if c.id in (form.conflicts.data or [])]
            done = save_form(
                form,
                lambda: update_user(
                    account,
                    actor(),
                    name=form.name.data or "",
                    role=Role(form.role.data),
                    active=bool(form.active.data),
                    conflicts=conflicts,
                    **chosen,
                ),
                _("The account is saved."),
                url_for("admin.users"),
                _FIELD_ALIASES,
            )
        if done:
            return done
    return render_template("admin/user.html", form=form, account=account), form_status(form)


def _create_and_invite(form: UserForm, chosen: dict[str, Any]) -> User:
    account = create_user(
        email=form.email.data or "",
        name=form.name.data or "",
        role=form.role.data or "",
        locale=form.locale.data or "en",
        **chosen,
    )
    invite(account, actor())
    return account


@bp.post("/users/<int:user_id>/invite")
@roles_required(Role.ADMIN)
def reinvite(user_id: int) -> Response:
    account = db.session.get(User, user_id)
    if account is None:
        abort(404)
    if invite(account, actor()):
        flash(_("A new invitation is on its way to %(email)s.", email=account.email), "success")
    else:
        flash(_("An invitation went out a few minutes ago."), "info")
    return redirect(url_for("admin.user", user_id=account.id))


_FIELD_ALIASES = {"agency": "agency_id", "cluster": "cluster_id"}


def _user_data(account: User) -> dict[str, Any]:
    return {
        "agency_id": account.agency_id or 0,
        "cluster_id": account.cluster_id or 0,
        "languages": ", ".join(account.languages),
        "conflicts": [c.id for c in account.conflicts],
        "role": account.role.value,
    }


def _membership(form: UserForm) -> dict[str, Any]:
    return {
        "agency": db.session.get(Agency, form.agency_id.data) if form.agency_id.data else None,
        "cluster": db.session.get(Cluster, form.cluster_id.data) if form.cluster_id.data else None,
        "country": (form.country.data or "").strip() or None,
        "languages": [
            lang
            for lang in (form.languages.data or "").replace(";", ",").split(",")
            if lang.strip()
        ],
        "affiliation": form.affiliation.data or None,
    }


@bp.get("/agencies")
@roles_required(Role.ADMIN)
def agencies() -> str:
    rows = db.session.execute(
        select(Agency, func.count(Cluster.id))
        .outerjoin(Cluster)
        .group_by(Agency.id)
        .order_by(Agency.name)
    )
    return render_template("admin/agencies.html", rows=list(rows))


@bp.route("/agencies/new", methods=["GET", "POST"])
@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def agency(agency_id: int | None = None) -> str | Response | tuple[str, int]:
    record = db.session.get(Agency, agency_id) if agency_id else None
    if agency_id and record is None:
        abort(404)
    form = AgencyForm(obj=record)
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: save_agency(record, form.data),
            _("The agency is saved."),
            url_for("admin.agencies"),
        )
        if done:
            return done
    return render_template("admin/agency.html", form=form, agency=record), form_status(form)


@bp.route("/labels/<number>/revoke", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def revoke_label(number: str) -> str | Response | tuple[str, int]:
    label = labels.by_number(number)
    form = RevokeLabelForm()
    if label.status == LabelStatus.REVOKED:
        # Shown, not a form: revoking twice is refused (the service says so too).
        message = _("Label %(number)s is already revoked.", number=label.number)
        page = render_template("admin/revoke_label.html", form=None, label=label, refused=message)
        return page, 409
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: labels.revoke(label, actor(), form.reason.data or "", local_today(), utcnow()),
            _("Label %(number)s is revoked.", number=label.number),
            url_for("labels.public", number=label.number),
        )
        if done:
            return done
    page = render_template("admin/revoke_label.html", form=form, label=label, refused=None)
    return page, form_status(form)


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings() -> str | Response | tuple[str, int]:
    form: Any = settings_form(load_policy())
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: save_settings({name: form[name].data for name in FIELDS}),
            _("The settings are saved."),
            url_for("admin.settings"),
        )
        if done:
            return done
    page = render_template("admin/settings.html", form=form, fields=FIELDS, overridden=overridden())
    return page, form_status(form)


@bp.get("/system")
@roles_required(Role.ADMIN)
def system() -> str:
    """The scheduler's heartbeat, its last daily pass and dispatcher run, the outbox."""
    return render_template("admin/system.html", scheduler=scheduler_status(), outbox=outbox_depth())

"""The programme pages: an agency's targets and figures (admins: any agency, and all of
them together), the same figures as CSV, and the targets' form."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from certtrack import confirmation, formats
from certtrack.clock import local_today
from certtrack.downloads import private_attachment
from certtrack.models import Agency, ProgrammeTarget, Role
from certtrack.programme.charts import programme_charts
from certtrack.programme.forms import TargetForm
from certtrack.services import portfolio, programme
from certtrack.services.exports import to_csv
from certtrack.web import actor, form_status, roles_required, save_form
from certtrack.workflow import permissions

bp = Blueprint("programme", __name__)


def median_days(median: programme.StageMedian) -> str:
    """A stage's median in days, to a tenth, or a dash when no stay has ended yet."""
    return "—" if median.median_days is None else formats.number(round(median.median_days, 1))


def medians_caption() -> str:
    """What the medians count, the window's length taken from the rule
    (programme.STAY_WINDOW_DAYS) and written in the reader's locale."""
    days = programme.STAY_WINDOW_DAYS
    return ngettext(
        "Median days applications stayed in each stage, over the stays that ended yesterday",
        "Median days applications stayed in each stage, over the stays that ended in the"
        " %(days)s days before today",
        days,
        days=formats.number(days),
    )


@bp.app_context_processor
def programme_helpers() -> dict[str, Any]:
    """What the programme page and the dashboard's medians table write with."""
    return {
        "describe_target": programme.describe,
        "standing_name": lambda standing: programme.STANDING_NAMES[standing],
        "median_days": median_days,
        "medians_caption": medians_caption,
        "renewal_names": programme.RENEWAL_FIGURES,
        "recommendation_names": programme.RECOMMENDATION_FIGURES,
        "target_delete_consequence": programme.DELETE_TARGET_CONSEQUENCE,
    }


@bp.get("/programme")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def index() -> ResponseReturnValue:
    """Admins: every agency's programme together; a coordinator: their agency's."""
    user = actor()
    if user.role == Role.COORDINATOR:
        if user.agency_id is None:
            abort(403)
        return redirect(url_for("programme.agency", agency_id=user.agency_id))
    return _page(None)


@bp.get("/programme/<int:agency_id>")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def agency(agency_id: int) -> str:
    return _page(programme.agency_of(actor(), agency_id))


@bp.get("/programme.csv")
@roles_required(Role.ADMIN)
def csv_all() -> Response:
    """Every agency's figures together, one row per figure."""
    refused = permissions.programme_refusal(actor(), None)
    if refused:
        raise refused
    return _csv(None)


@bp.get("/programme/<int:agency_id>.csv")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def csv_agency(agency_id: int) -> Response:
    """One agency's figures, one row per figure."""
    return _csv(programme.agency_of(actor(), agency_id))


@bp.route("/programme/<int:agency_id>/targets/new", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
def new_target(agency_id: int) -> ResponseReturnValue:
    user = actor()
    found = programme.agency_of(user, agency_id)
    refused = permissions.target_refusal(user, found)
    if refused:
        raise refused
    return _target_form(found, None)


@bp.route("/programme/targets/<int:target_id>/edit", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
def edit_target(target_id: int) -> ResponseReturnValue:
    user = actor()
    target = programme.get_target(user, target_id)
    return _target_form(programme.agency_of(user, target.agency_id), target)


@bp.post("/programme/targets/<int:target_id>/delete")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def delete_target(target_id: int) -> Response | tuple[str, int]:
    """Deleted once confirmed: posted without the confirmation, the confirmation is
    shown and nothing changes."""
    user = actor()
    target = programme.get_target(user, target_id)
    page = url_for("programme.agency", agency_id=target.agency_id)
    if not confirmation.given(request.form):
        return confirmation.ask(
            label=_("Delete %(title)s", title=programme.describe(target)),
            consequence=programme.DELETE_TARGET_CONSEQUENCE,
            action=url_for("programme.delete_target", target_id=target.id),
            back=page,
        )
    programme.delete_target(user, target)
    flash(_("The target is deleted."), "success")
    return redirect(page)


def _target_form(found: Agency, target: ProgrammeTarget | None) -> ResponseReturnValue:
    form = TargetForm(obj=target)
    if target is not None and not form.is_submitted():
        form.kind.data = target.kind.value
        form.level.data = target.level.value if target.level else ""
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: programme.save_target(actor(), found, target=target, **form.values()),  # type: ignore[arg-type]
            _("The target is saved."),
            url_for("programme.agency", agency_id=found.id),
        )
        if done:
            return done
    page = render_template("programme/target_form.html", form=form, agency=found, target=target)
    return page, form_status(form)


def _page(found: Agency | None) -> str:
    today = local_today()
    agency_id = found.id if found is not None else None
    figures = programme.figures(agency_id, today)
    targets = programme.targets(agency_id)
    user = actor()
    return render_template(
        "programme/index.html",
        agency=found,
        agencies=portfolio.agencies() if user.role == Role.ADMIN else [],
        figures=figures,
        charts=programme_charts(figures),
        medians=figures.stage_medians,
        progress=[programme.progress(t, figures, today) for t in targets] if found else [],
        may_set_targets=found is not None and permissions.target_refusal(user, found) is None,
        today=today,
    )


def _csv(found: Agency | None) -> Response:
    today = local_today()
    agency_id = found.id if found is not None else None
    figures = programme.figures(agency_id, today)
    progress = (
        [programme.progress(t, figures, today) for t in programme.targets(agency_id)]
        if found is not None
        else []
    )
    name = found.short_name if found is not None else "all"
    rows = programme.csv_rows(figures, progress, name)
    safe = "".join(c if c.isalnum() else "-" for c in name)
    return private_attachment(
        to_csv(programme.CSV_HEADER, rows),
        "text/csv",
        f"programme-{safe}-{today.isoformat()}.csv",
    )

from itertools import groupby
from operator import attrgetter
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from certtrack.clock import local_today
from certtrack.models import Application, Level, Role
from certtrack.reviews.forms import (
    BLANK_RECOMMENDATIONS,
    comment_name,
    field_name,
    initial_data,
    review_form,
    values_from,
)
from certtrack.services import access, applications
from certtrack.services.benchmarking import save_benchmarking
from certtrack.web import actor, apply_errors, form_status, roles_required
from certtrack.workflow import permissions, requirements
from certtrack.workflow.errors import GuardFailed, InvalidParams
from certtrack.workflow.policy import load_policy
from certtrack.workflow.types import Thing

bp = Blueprint("reviews", __name__)


@bp.route("/applications/<int:application_id>/review", methods=["GET", "POST"])
@roles_required(Role.CONSULTANT)
def edit(application_id: int) -> str | Response | tuple[str, int]:
    user = actor()
    application = access.get_application(user, application_id)
    definitions = requirements.definitions_for(application.level)
    editable = permissions.allows(user, application, Thing.BENCHMARKING)
    form: Any = review_form(
        application.level,
        definitions,
        load_policy().silver_improvement_areas,
        data=initial_data(application, definitions),
    )
    if editable and form.validate_on_submit() and _save(application, form, definitions):
        if not form.deliver.data:
            flash(_("The draft is saved."), "success")
            return redirect(url_for("reviews.edit", application_id=application.id))
        if _deliver(application, form):
            flash(_("The report is delivered to the agency."), "success")
            return redirect(url_for("applications.detail", application_id=application.id))
    blank = sum(1 for row in form.recommendations if not (row.title.data or "").strip())
    for _row in range(BLANK_RECOMMENDATIONS - blank):
        form.recommendations.append_entry()
    score = None
    if application.level == Level.GOLD:
        score = requirements.gold_score(definitions, application.indicator_values)
    answered = requirements.answered_codes(definitions, application.indicator_values)
    return render_template(
        "reviews/edit.html",
        app=application,
        form=form,
        answered=answered,
        groups=[
            (area, list(items)) for area, items in groupby(definitions, key=attrgetter("area"))
        ],
        field_name=field_name,
        comment_name=comment_name,
        delivered=application.report_delivered,
        editable=editable,
        score=score,
        pass_percent=load_policy().gold_pass_percent,
    ), form_status(form)


def _save(application: Application, form: Any, definitions: list[Any]) -> bool:
    recommendations = [row.data for row in form.recommendations if (row.title.data or "").strip()]
    areas = None
    if application.level == Level.SILVER:
        areas = [e.data for e in form.improvement_areas if e.title.data or e.effect.data]
    try:
        save_benchmarking(
            application,
            actor(),
            today=local_today(),
            interview_date=form.interview_date.data,
            values=values_from(form, definitions),
            summary=form.summary.data or "",
            recommendations=recommendations,
            improvement_areas=areas,
        )
    except InvalidParams as error:
        apply_errors(form, {_form_field(name): message for name, message in error.fields.items()})
        return False
    return True


def _form_field(name: str) -> str:
    """The form field beside which a service error on `name` shows: values.B03 is the
    measurement v_B03, values.B03.comment its comment c_B03."""
    if not name.startswith("values."):
        return name
    code, _dot, part = name.removeprefix("values.").partition(".")
    return f"c_{code}" if part == "comment" else f"v_{code}"


def _deliver(application: Application, form: Any) -> bool:
    try:
        applications.fire(application, "deliver_report", actor(), today=local_today())
    except GuardFailed as error:
        form.form_errors.append(_("The report cannot be delivered yet."))
        apply_errors(form, {k: v for k, v in error.fields.items() if k != "indicators"})
        if "indicators" in error.fields:
            # Each indicator still missing gets its own message, linked from the summary.
            definitions = requirements.definitions_for(application.level)
            missing = requirements.missing_indicators(definitions, application.indicator_values)
            for definition in definitions:
                if definition.code in missing:
                    message = _("Record this indicator before delivering.")
                    form[field_name(definition)].errors.append(message)
            if not missing:
                form.form_errors.append(error.fields["indicators"])
        return False
    return True

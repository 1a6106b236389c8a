from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from certtrack import confirmation, vocabulary
from certtrack.applications.forms import AssignForm, VisitForm, improvement_areas_form
from certtrack.clock import local_today
from certtrack.documents.section import document_section
from certtrack.downloads import private_attachment
from certtrack.models import (
    Application,
    AuditEntry,
    ConversationMessage,
    Level,
    Role,
    User,
)
from certtrack.paging import Page
from certtrack.parsing import MAX_ID, number_problem, whole_number
from certtrack.safe_redirect import back
from certtrack.services import (
    access,
    applications,
    conversation,
    evidence,
    path,
    portfolio,
    visits,
)
from certtrack.services import report_pdf as report_pdf_service
from certtrack.services.benchmarking import set_improvement_areas
from certtrack.web import (
    actor,
    apply_errors,
    form_status,
    paginate,
    query_int,
    roles_required,
    save_form,
)
from certtrack.workflow import permissions
from certtrack.workflow.deadlines import evidence_due
from certtrack.workflow.definition import TRANSITIONS, TRANSITIONS_BY_EVENT
from certtrack.workflow.engine import offered_steps
from certtrack.workflow.errors import InvalidParams
from certtrack.workflow.guards import impartiality_problem, previous_consultant_id
from certtrack.workflow.policy import load_policy
from certtrack.workflow.types import Thing

bp = Blueprint("applications", __name__)
# The application page stays bounded: the latest messages only, the rest on their page.
CONVERSATION_PREVIEW = 3
HISTORY_MESSAGES = 20
HISTORY_PAGE = "history_page"  # the query argument of the history's pages
BOARD_FILTERS = ("level", "region", "sector", "consultant", "q", "sort")
# What the board's orders and its cards' due dates are called.
SORT_NAMES = {
    "stage": _l("Longest in this stage"),
    "due": _l("Next due date"),
    "name": _l("Cluster name"),
}
DUE_NAMES = {"report": _l("Report due"), "label": _l("Label ends"), "renewal": _l("Renew by")}
# The events the assignment page takes (whichever the state allows).
ASSIGNING = [t.event for t in TRANSITIONS if t.page == "applications.assign"]


@bp.get("/board")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def board() -> str:
    """The open applications by state; each column pages on its own (`<state>_page`),
    and every link keeps the filters and the other columns' pages."""
    user, args = actor(), request.args
    level = args.get("level", "")
    filters = portfolio.BoardFilters(
        level=Level(level) if level in {lv.value for lv in Level} else None,
        region=args.get("region") or None,
        sector=args.get("sector") or None,
        consultant_id=query_int("consultant"),
        search=args.get("q") or None,
    )
    sorts = {s.value for s in portfolio.BoardSort}
    sort = portfolio.BoardSort(args["sort"] if args.get("sort") in sorts else "stage")
    params = {state: f"{state.value}_page" for state in portfolio.OPEN_STATES}
    pages = {state: query_int(param) or 1 for state, param in params.items()}
    closed = portfolio.closed_states()
    tally_limit = current_app.config["CERTTRACK_BOARD_TALLY_LIMIT"]
    counts = portfolio.board_counts(user, filters, closed, tally_limit)  # one statement
    size = current_app.config["CERTTRACK_BOARD_PAGE_SIZE"]
    day, policy = local_today(), load_policy()
    cards = {
        state: [portfolio.card(app, day, policy) for app in apps]
        for state, apps in portfolio.board_page(user, filters, pages, size, sort).items()
    }
    kept: dict[str, str | int] = {name: args[name] for name in BOARD_FILTERS if args.get(name)}
    kept.update({params[state]: n for state, n in pages.items() if n > 1})
    return render_template(
        "applications/board.html",
        columns={state: Page(cards[state], counts[state], pages[state], size) for state in cards},
        params=params,
        kept=kept,
        closed={state: counts[state] for state in closed},
        tally_limit=tally_limit,
        choices=portfolio.filter_choices(user),
        consultants=portfolio.consultants_by_workload(),
        filters=filters,
        sort=sort,
        sorts=list(portfolio.BoardSort),
        sort_names=SORT_NAMES,
        due_names={kind: str(name) for kind, name in DUE_NAMES.items()},  # once per page
        levels=list(Level),
        awaiting_consultant=TRANSITIONS_BY_EVENT["assign_consultant"].sources,
    )


@bp.get("/applications/<int:application_id>")
@login_required
def detail(application_id: int) -> str:
    return detail_page(application_id)


def detail_page(application_id: int, **extra: Any) -> str:
    """The application's page (shown again with a refused document form: `extra` goes
    to the template)."""
    user = actor()
    application = applications.with_everything(
        access.get_application(user, application_id).id, history=False
    )
    areas_form = None
    if _names_areas(user, application):
        areas_form = improvement_areas_form(
            load_policy().silver_improvement_areas,
            data={
                "areas": [
                    {"title": a.title, "effect": a.effect} for a in application.improvement_areas
                ]
            },
        )
    return _page(application, areas_form, **extra)


def _names_areas(user: User, application: Application) -> bool:
    """Whether the page offers the form naming Silver's improvement areas."""
    return application.level == Level.SILVER and permissions.allows(
        user, application, Thing.IMPROVEMENT_AREAS
    )


def _page(
    application: Application,
    areas_form: Any | None,
    visit_form: VisitForm | None = None,
    **extra: Any,
) -> str:
    user, day, policy = actor(), local_today(), load_policy()
    if visit_form is None and permissions.allows(user, application, Thing.VISIT):
        visit_form = VisitForm(
            version=application.version,
            visit_starts_on=application.visit_starts_on,
            visit_ends_on=application.visit_ends_on,
        )
    latest = conversation.latest(user, application, HISTORY_MESSAGES)
    steps = paginate(
        applications.history_query(user, AuditEntry.application_id == application.id),
        param=HISTORY_PAGE,
    )
    # Newest first: a page of the steps (internal notes' only for those who read them)
    # and, on the first page, the latest messages; the conversation has the rest.
    items: list[AuditEntry | ConversationMessage] = [
        *steps.items,
        *(reversed(latest.messages) if steps.page == 1 else ()),
    ]
    history = sorted(
        items,
        key=lambda item: item.at if isinstance(item, AuditEntry) else item.created_at,
        reverse=True,
    )
    return render_template(
        "applications/detail.html",
        app=application,
        history=history,
        steps=steps,
        history_page=HISTORY_PAGE,
        conversation=latest,
        conversation_preview=CONVERSATION_PREVIEW,
        actions=offered_steps(application, user, today=day, policy=policy),
        next_step=path.next_step(application, day, policy),
        areas_form=areas_form,
        visit_form=visit_form,
        evidence_due=evidence_due(application, policy),
        checklist=evidence.checklist(application),
        day=day,
        documents=document_section(application, user),
        **extra,
    )


@bp.post("/applications/<int:application_id>/events/<event>")
@login_required
def fire(application_id: int, event: str) -> Response | tuple[str, int]:
    """Every workflow button posts here; the engine decides, refusals come back as a
    message on the page the user came from. A step the definition wants confirmed
    (`confirm`) posted without the confirmation shows the confirmation instead."""
    user = actor()
    application = access.get_application(user, application_id)
    transition = TRANSITIONS_BY_EVENT.get(event)
    if transition is None:
        abort(404)
    form = request.form
    if transition.confirm and not confirmation.given(form):
        refused = permissions.refusal(user, application, event)
        if refused:
            raise refused
        page = url_for("applications.detail", application_id=application.id)
        return confirmation.ask(
            label=vocabulary.name(event),
            consequence=transition.confirm,
            action=url_for("applications.fire", application_id=application.id, event=event),
            back=page,
            tone=transition.style,
            hidden={"version": form.get("version") or application.version},
            reason=form.get("reason", "") if transition.takes_reason else None,
        )
    params: dict[str, Any] = {p.name: form.get(p.name, "") for p in transition.params}
    if form.get("comment", "").strip():
        params["comment"] = form["comment"]
    applications.fire(
        application,
        event,
        user,
        today=local_today(),
        expected_version=_version(form.get("version")),
        **params,
    )
    flash(_("Done: %(step)s.", step=vocabulary.name(event)), "success")
    if application.next is not None:  # renewed or upgraded: on to the new application
        return redirect(url_for("applications.detail", application_id=application.next.id))
    return redirect(back(url_for("applications.detail", application_id=application.id)))


def _version(raw: str | None) -> int | None:
    """The version the page was drawn from (None without one); a step on a stale page
    is refused."""
    if not raw:
        return None
    version = whole_number(raw, 0, MAX_ID)
    if version is None:
        problem = number_problem(0, MAX_ID)
        raise InvalidParams(_("The page sent a version that is not valid."), {"version": problem})
    return version


@bp.route("/applications/<int:application_id>/assign", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
def assign(application_id: int) -> str | Response | tuple[str, int]:
    user, policy = actor(), load_policy()
    application = access.get_application(user, application_id)
    event = next((e for e in ASSIGNING if permissions.allows(user, application, e)), None)
    if event is None:
        flash(
            _("A consultant is assigned to submitted applications or reviews under way."), "warning"
        )
        return redirect(url_for("applications.detail", application_id=application.id))
    previous = previous_consultant_id(application)
    pool = [
        (consultant, workload, impartiality_problem(application, consultant, policy, previous))
        for consultant, workload in portfolio.consultants_with_workload()
    ]
    form = AssignForm(version=application.version)
    form.consultant_id.choices = [(c.id, c.name) for c, _w, problem in pool if problem is None]
    if form.validate_on_submit():
        try:
            applications.fire(
                application,
                event,
                user,
                today=local_today(),
                expected_version=_version(form.version.data),
                consultant_id=form.consultant_id.data,
                comment=form.comment.data or None,
            )
        except InvalidParams as error:
            apply_errors(form, error.fields)
        else:
            flash(_("The review is assigned."), "success")
            return redirect(url_for("applications.detail", application_id=application.id))
    page = render_template("applications/assign.html", app=application, form=form, pool=pool)
    return page, form_status(form)


@bp.post("/applications/<int:application_id>/improvement-areas")
@login_required
def improvement_areas(application_id: int) -> str | Response | tuple[str, int]:
    user = actor()
    application = access.get_application(user, application_id)
    refused = permissions.refusal(user, application, Thing.IMPROVEMENT_AREAS)
    if refused:
        raise refused
    form = improvement_areas_form(load_policy().silver_improvement_areas)
    if form.validate_on_submit():
        areas = [entry.data for entry in form.areas if entry.title.data or entry.effect.data]
        done = save_form(
            form,
            lambda: set_improvement_areas(application, user, areas),
            _("The improvement areas are saved."),
            url_for("applications.detail", application_id=application.id),
            {"improvement_areas": "areas"},
        )
        if done:
            return done
    return _page(applications.with_everything(application.id, history=False), form), 422


@bp.get("/applications/<int:application_id>/report.pdf")
@login_required
def report_pdf(application_id: int) -> Response:
    """The individual report as a PDF, in the reader's language."""
    content, name = report_pdf_service.for_reader(actor(), application_id)
    return private_attachment(content, "application/pdf", name)


@bp.post("/applications/<int:application_id>/visit")
@login_required
def visit(application_id: int) -> str | Response | tuple[str, int]:
    """The coordinator or the assigned consultant sets or moves Gold's visit."""
    user = actor()
    application = access.get_application(user, application_id)
    refused = permissions.refusal(user, application, Thing.VISIT)
    if refused:
        raise refused
    form = VisitForm()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: visits.plan_visit(
                application,
                user,
                starts_on=form.visit_starts_on.data,
                ends_on=form.visit_ends_on.data,
                today=local_today(),
                expected_version=_version(form.version.data),
            ),
            _("The visit's dates are saved."),
            url_for("applications.detail", application_id=application.id),
        )
        if done:
            return done
    return _page(applications.with_everything(application.id, history=False), None, form), 422

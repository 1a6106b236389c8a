"""Guards: pure checks that return a Refusal naming the reason, or None to let a step pass.

They read the database (labels, indicators) but never write to it."""

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack import formats
from certtrack.extensions import db
from certtrack.models import Application, Level, Role, User
from certtrack.workflow import requirements
from certtrack.workflow.dates import grace_end, renewal_window_opens
from certtrack.workflow.eligibility import eligibility_problems, missing_profile_fields
from certtrack.workflow.policy import Policy
from certtrack.workflow.prerequisites import prerequisite_problem
from certtrack.workflow.types import Context, Refusal


def consultant_exists(consultant_id: int) -> str | None:
    """Param check for consultant_id."""
    user = db.session.get(User, consultant_id)
    if user is None or user.role != Role.CONSULTANT or not user.active:
        return _("No active consultant has the id %(id)s.", id=consultant_id)
    return None


def profile_complete(ctx: Context) -> Refusal | None:
    missing = missing_profile_fields(ctx.application.cluster)
    if not missing:
        return None
    return Refusal(
        _("The cluster profile is incomplete: %(fields)s.", fields=", ".join(missing)),
        {name: _("This field is required.") for name in missing},
    )


def eligible(ctx: Context) -> Refusal | None:
    problems = eligibility_problems(ctx.application.cluster, ctx.policy)
    if not problems:
        return None
    return Refusal(" ".join(problems.values()), problems)


def level_prerequisites(ctx: Context) -> Refusal | None:
    app = ctx.application
    problem = prerequisite_problem(app.cluster.labels, app.level, ctx.today, ctx.policy)
    return Refusal(problem, {"level": problem}) if problem else None


def consultant_impartial(ctx: Context) -> Refusal | None:
    consultant = db.session.get(User, ctx.params["consultant_id"])
    assert consultant is not None  # the param check ran first
    previous = previous_consultant_id(ctx.application)
    reason = impartiality_problem(ctx.application, consultant, ctx.policy, previous)
    return Refusal(reason, {"consultant_id": reason}) if reason else None


def impartiality_problem(
    application: Application, consultant: User, policy: Policy, previous_consultant: int | None
) -> str | None:
    """Why `consultant` may not assess `application`'s cluster, or None. Also used to
    explain the choice on the assignment form, for the whole pool at once."""
    cluster = application.cluster
    if cluster in consultant.conflicts:
        return _(
            "%(name)s has declared a conflict of interest with %(cluster)s.",
            name=consultant.name,
            cluster=cluster.name,
        )
    if (consultant.affiliation or "").strip().casefold() == cluster.name.casefold():
        return _(
            "%(name)s works for %(cluster)s and cannot assess it.",
            name=consultant.name,
            cluster=cluster.name,
        )
    if policy.forbid_same_consultant_twice and previous_consultant == consultant.id:
        return _(
            "%(name)s reviewed this cluster's previous process; "
            "the same expert may not review it twice in a row.",
            name=consultant.name,
        )
    return None


def previous_consultant_id(application: Application) -> int | None:
    """The consultant of the cluster's latest other process."""
    query = (
        select(Application.consultant_id)
        .where(
            Application.cluster_id == application.cluster_id,
            Application.id != application.id,
            Application.consultant_id.is_not(None),
        )
        .order_by(Application.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def consultant_changes(ctx: Context) -> Refusal | None:
    if ctx.params["consultant_id"] == ctx.application.consultant_id:
        message = _("This consultant is already assigned.")
        return Refusal(message, {"consultant_id": message})
    return None


def report_not_delivered(ctx: Context) -> Refusal | None:
    report = ctx.application.report
    if report is not None and report.delivered_at is not None:
        return Refusal(
            _("The report was delivered on %(day)s.", day=formats.day(report.delivered_at.date()))
        )
    return None


def report_complete(ctx: Context) -> Refusal | None:
    """Everything the level's assessment must record before the report can go out."""
    app = ctx.application
    problems: dict[str, str] = {}
    if app.interview_date is None:
        problems["interview_date"] = _("Record the interview or assessment date.")
    else:
        problems.update(requirements.interview_date_problems(app, app.interview_date, ctx.today))
    missing = requirements.missing_indicators(
        requirements.definitions_for(app.level), app.indicator_values
    )
    if missing:
        problems["indicators"] = _(
            "%(n)s indicators are not recorded: %(codes)s.",
            n=len(missing),
            codes=", ".join(missing),
        )
    wanted = ctx.policy.silver_improvement_areas
    areas = [a for a in app.improvement_areas if a.title.strip() and a.effect.strip()]
    if app.level == Level.SILVER and len(areas) != wanted:
        problems["improvement_areas"] = _(
            "Silver needs %(n)s improvement areas with their effect; %(got)s are recorded.",
            n=wanted,
            got=len(areas),
        )
    report = app.report
    if report is None or not (report.summary or "").strip():
        problems["summary"] = _("Write the report summary.")
    if report is None or not report.recommendations:
        problems["recommendations"] = _("Give at least one recommendation.")
    if not problems:
        return None
    return Refusal(
        _("The report is not complete: %(problems)s", problems=" ".join(problems.values())),
        problems,
    )


def report_delivered(ctx: Context) -> Refusal | None:
    if not ctx.application.report_delivered:
        return Refusal(_("The consultant has not delivered the report yet."))
    return None


def baseline_met(ctx: Context) -> Refusal | None:
    app = ctx.application
    if app.level != Level.SILVER:
        return None
    unmet = [value.indicator.code for value in app.indicator_values if value.met is False]
    if not unmet:
        return None
    return Refusal(
        _(
            "Silver requires every baseline minimum requirement; not met: %(codes)s.",
            codes=", ".join(sorted(unmet)),
        ),
        {"indicators": ", ".join(sorted(unmet))},
    )


def gold_passes(ctx: Context) -> Refusal | None:
    app = ctx.application
    if app.level != Level.GOLD:
        return None
    score = requirements.gold_score(requirements.definitions_for(Level.GOLD), app.indicator_values)
    if score.below_threshold:
        codes = ", ".join(score.below_threshold)
        return Refusal(
            _("Gold requires every quality threshold; below it: %(codes)s.", codes=codes),
            {"indicators": codes},
        )
    if not score.passes(ctx.policy.gold_pass_percent):
        return Refusal(
            _(
                "Gold requires %(bar)s of the total score; the cluster scored %(pct)s.",
                bar=formats.percent(ctx.policy.gold_pass_percent),
                pct=formats.percent(score.percent),
            )
        )
    return None


def renewal_window_open(ctx: Context) -> Refusal | None:
    label = ctx.application.label
    assert label is not None  # follow_up always has its label
    opens = renewal_window_opens(label.valid_until, ctx.policy.renewal_window_days)
    if ctx.today < opens:
        return Refusal(_("The renewal window opens on %(day)s.", day=formats.day(opens)))
    return None


def label_expired(ctx: Context) -> Refusal | None:
    label = ctx.application.label
    assert label is not None
    if ctx.today <= label.valid_until:
        return Refusal(_("The label is valid until %(day)s.", day=formats.day(label.valid_until)))
    return None


def within_grace(ctx: Context) -> Refusal | None:
    label = ctx.application.label
    assert label is not None
    end = grace_end(label.valid_until, ctx.policy.grace_months)
    if ctx.today > end:
        return Refusal(
            _(
                "Renewal was possible until %(day)s; the cluster must start again.",
                day=formats.day(end),
            )
        )
    return None


def grace_over(ctx: Context) -> Refusal | None:
    label = ctx.application.label
    assert label is not None
    end = grace_end(label.valid_until, ctx.policy.grace_months)
    if ctx.today <= end:
        return Refusal(_("The label can be renewed until %(day)s.", day=formats.day(end)))
    return None


def next_level_reachable(ctx: Context) -> Refusal | None:
    app = ctx.application
    target = app.level.next
    if target is None:
        return Refusal(_("Gold is the highest label; renew it instead."))
    problem = prerequisite_problem(app.cluster.labels, target, ctx.today, ctx.policy)
    return Refusal(problem) if problem else None


# Guards that judge the step's input (the consultant chosen): a page cannot ask them
# before the input is given, the engine does when the step is taken.
JUDGE_INPUT = frozenset({consultant_impartial, consultant_changes})
# Guards whose refusal stays for good (the report went out, Gold is the top): a step
# they refuse is not offered at all; the others' refusals may pass later.
REFUSE_FOR_GOOD = frozenset({report_not_delivered, next_level_reachable})

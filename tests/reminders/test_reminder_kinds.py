"""Each reminder kind is one definition (certtrack.services.reminder_kinds): the daily
pass selects with its condition, the dispatcher re-checks each message with the same
condition on the message's subject, and its message has its text in both languages."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import false, select

from certtrack.extensions import db
from certtrack.models import Level, OutboxMessage, OutboxStatus, Role, Setting
from certtrack.services import messages, outbox, reminders, visits
from certtrack.services.dispatch import send_due
from certtrack.services.reminder_kinds import BY_NAME, KINDS
from certtrack.services.reminders import decide, run_daily_pass
from certtrack.services.sql import Day
from certtrack.workflow.policy import load_policy
from tests.builders import Journey, add_cluster, add_user, make_cast
from tests.reminders.conftest import noon

DAY = date(2016, 5, 4)  # 180 days before DITENAVE's Bronze ends


def every_kind_due() -> Journey:
    """On DAY each kind of reminder is due: DITENAVE's label ends in 180 days, one
    recommendation is coming due and the others are overdue; another Informest cluster's
    label lapsed and its grace year ends within 90 days, a third one's lapsed three days
    ago; a fourth one's report is overdue; a fifth one's Gold evidence is due in 14 days;
    a sixth one's Silver window opened three days ago; and Informest's coordinator has a
    digest to read."""
    ditenave = Journey(make_cast())
    cast = ditenave.cast
    ditenave.start()
    ditenave.to_label(interview=date(2014, 10, 15))
    ditenave.fire("start_follow_up", cast.manager, date(2014, 11, 1))
    ditenave.application.report.recommendations[-1].due_date = DAY + timedelta(days=6)
    db.session.commit()

    lapsed = Journey(cast)
    lapsed.cluster = add_cluster(cast.agency, "Lapsed cluster")
    lapsed.manager = add_user(Role.MANAGER, "manager@lapsed.example", cluster_id=lapsed.cluster.id)
    lapsed.start(day=date(2013, 5, 1))
    lapsed.to_label(interview=date(2013, 7, 15))  # valid until 2015-07-31, grace to 2016-07-31
    lapsed.fire("start_follow_up", lapsed.manager, date(2013, 8, 1))
    lapsed.advance(DAY)

    # A lapse notice goes out within LATE days of the lapse.
    just_lapsed = Journey(cast)
    just_lapsed.cluster = add_cluster(cast.agency, "Just lapsed cluster")
    just_lapsed.manager = add_user(
        Role.MANAGER, "manager@just-lapsed.example", cluster_id=just_lapsed.cluster.id
    )
    just_lapsed.start(day=date(2014, 2, 1))
    just_lapsed.to_label(interview=date(2014, 4, 15))  # valid until 2016-04-30
    just_lapsed.fire("start_follow_up", just_lapsed.manager, date(2014, 5, 1))
    just_lapsed.advance(DAY)

    # DITENAVE's Silver window opened on 1 April, too long ago (LATE); this one's on 1 May.
    silver = Journey(cast)
    silver.cluster = add_cluster(cast.agency, "Silver cluster")
    silver.manager = add_user(Role.MANAGER, "manager@silver.example", cluster_id=silver.cluster.id)
    silver.start(day=date(2014, 9, 1))
    silver.to_label(interview=date(2014, 11, 12))
    silver.fire("start_follow_up", silver.manager, date(2014, 12, 1))

    review = Journey(cast)
    review.cluster = add_cluster(cast.agency, "Review cluster")
    review.manager = add_user(Role.MANAGER, "manager@review.example", cluster_id=review.cluster.id)
    review.start(day=date(2016, 2, 1))
    review.to_review(date(2016, 3, 1))

    gold = Journey(cast)
    gold.cluster = add_cluster(cast.agency, "Gold cluster")
    gold.manager = add_user(Role.MANAGER, "manager@gold.example", cluster_id=gold.cluster.id)
    db.session.add(Setting(key="gold_prerequisite", value="none"))
    db.session.commit()
    gold.start(Level.GOLD, date(2016, 4, 1))
    gold.to_review(date(2016, 4, 20), consultant=cast.second_consultant)
    visits.plan_visit(
        gold.application,
        cast.second_consultant,
        starts_on=DAY + timedelta(days=28),  # the evidence is due in 14 days
        ends_on=DAY + timedelta(days=29),
        today=DAY,
    )
    return ditenave


def rows(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_every_reminder_kind_is_one_definition_with_its_message(mail_app, smtp):
    every_kind_due()
    policy = load_policy()
    assert len(BY_NAME) == len(KINDS)  # names are unique
    drafts = decide(DAY, policy)
    assert {draft.kind for draft in drafts} == set(BY_NAME)  # the pass runs every kind
    outbox.write(drafts)
    db.session.commit()
    for kind in KINDS:
        assert messages.COMPOSERS[kind.name] is kind.compose
        assert messages.OPT_OUTS.get(kind.name) == kind.opt_out
        assert messages.KIND_NAMES[kind.name] is kind.title
        written = rows(kind.name)
        assert written and all(kind.holds(row, DAY, policy) for row in written), kind.name
        english = messages.compose(written[0], DAY, policy)
        with force_locale("it"):
            italian = messages.compose(written[0], DAY, policy)
            title = str(kind.title)
        assert english is not None and italian is not None, kind.name
        assert italian.subject != english.subject, kind.name
        assert title != str(kind.title), kind.name


def test_one_statement_per_kind_serves_every_day(mail_app):
    """The pass builds each kind's statement once, with the day as parameters
    (services.sql.Day), and runs it on every day: on any day it selects the very
    messages of a statement built for that day alone. (A date worked out when the
    statement is built, not from its day, would stay the first day's.)"""
    every_kind_due()
    policy = load_policy()

    def selected(statement, parameters=None):
        return sorted(tuple(row) for row in db.session.execute(statement, parameters))

    days = [DAY + timedelta(days=n) for n in (-200, -30, 0, 1, 3, 7, 30, 90, 400)]
    for kind in KINDS:
        day = Day()
        once = reminders.due(kind, day, policy)
        found = [selected(once, day.values(today)) for today in days]
        assert found == [selected(reminders.due(kind, Day(today), policy)) for today in days]
        assert any(found), kind.name


@pytest.mark.parametrize("name", list(BY_NAME))
def test_the_pass_and_the_dispatcher_both_ask_the_definition(mail_app, smtp, monkeypatch, name):
    """A kind whose condition no longer holds for anything is neither selected by the
    pass nor sent by the dispatcher: both use the one condition."""
    every_kind_due()
    policy, kind = load_policy(), BY_NAME[name]
    never = replace(kind, condition=lambda day, policy: kind.condition(day, policy).where(false()))
    with monkeypatch.context() as patch:
        patch.setattr(reminders, "KINDS", tuple(never if k is kind else k for k in KINDS))
        selected = {draft.kind for draft in decide(DAY, policy)}
    assert selected == set(BY_NAME) - {name}

    run_daily_pass(DAY, now=noon(DAY))
    monkeypatch.setitem(messages.BY_NAME, name, never)
    while send_due(now=noon(DAY)).sent:
        pass
    assert {row.status for row in rows(name)} == {OutboxStatus.CANCELLED}
    others = [row for other in set(BY_NAME) - {name} for row in rows(other)]
    assert OutboxStatus.SENT in {row.status for row in others}


def test_recommendation_reminders_only_while_managers_work_on_them(mail_app, smtp):
    """Managers edit recommendations in follow_up and renewal_due only: before the
    follow-up starts (label_issued) no reminder is selected, and one written anyway (an
    older version selected labelled states) is cancelled at send time, not sent."""
    journey = Journey(make_cast())
    journey.start()
    journey.to_label(interview=date(2014, 10, 15))  # label_issued: no follow-up yet
    recommendation = journey.application.report.recommendations[0]
    assert recommendation.due_date is not None
    day = recommendation.due_date - timedelta(days=14)
    manager = journey.cast.manager
    assert not [d for d in decide(day, load_policy()) if d.kind.startswith("recommendation")]
    overdue_day = recommendation.due_date + timedelta(days=1)
    assert not [
        d for d in decide(overdue_day, load_policy()) if d.kind.startswith("recommendation")
    ]
    outbox.write(
        [
            outbox.Draft(
                key=f"recommendation_due:{recommendation.id}:{manager.id}",
                kind="recommendation_due",
                recipient_id=manager.id,
                link="/",
                application_id=journey.application.id,
                recommendation_id=recommendation.id,
            ),
            outbox.Draft(
                key=f"recommendation_overdue:{journey.application.id}:{day}:{manager.id}",
                kind="recommendation_overdue",
                recipient_id=manager.id,
                link="/",
                application_id=journey.application.id,
            ),
        ],
        now=noon(day),
    )
    db.session.commit()
    send_due(now=noon(day))
    reminders_written = rows("recommendation_due") + rows("recommendation_overdue")
    assert [row.status for row in reminders_written] == [OutboxStatus.CANCELLED] * 2
    assert not [r for r in smtp.inbox.received if "ecommendation" in r.subject]


def test_recommendation_reminders_stop_when_the_label_lapses(mail_app, smtp):
    journey = Journey(make_cast())
    journey.start()
    journey.to_label(interview=date(2014, 10, 15))  # valid until 2016-10-31
    journey.fire("start_follow_up", journey.cast.manager, date(2014, 11, 1))
    recommendation = journey.application.report.recommendations[0]
    recommendation.due_date = date(2016, 11, 10)
    db.session.commit()
    run_daily_pass(date(2016, 10, 31), now=noon(date(2016, 10, 31)))
    assert len(rows("recommendation_due")) == 1  # selected in renewal_due
    journey.advance(date(2016, 11, 1))  # lapsed before the dispatcher ran
    assert not [
        d for d in decide(date(2016, 11, 1), load_policy()) if d.kind == "recommendation_due"
    ]
    send_due(now=noon(date(2016, 11, 1)))
    assert [row.status for row in rows("recommendation_due")] == [OutboxStatus.CANCELLED]

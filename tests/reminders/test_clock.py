"""The clock moves day by day across a label's two-year life, its grace year and a
renewal; each day the scheduler's own jobs run. Every expected message arrives once, on
its day, and none after the renewal took their reason away."""

from datetime import UTC, date, datetime, time, timedelta

import time_machine

from certtrack import scheduler
from certtrack.models import RecommendationStatus
from certtrack.services.recommendations import update_recommendation
from tests.builders import Journey, make_cast

INTERVIEW = date(2014, 10, 15)  # Bronze valid until 2016-10-31, renewable until 2017-10-31
RENEWED = date(2017, 3, 1)


def test_two_years_a_grace_year_and_a_renewal(mail_app, smtp):
    journey = Journey(make_cast())
    cast = journey.cast
    journey.start()
    journey.to_label(interview=INTERVIEW)
    journey.fire("start_follow_up", cast.manager, date(2014, 11, 1))
    recommendations = {rec.due_date: rec for rec in journey.application.report.recommendations}
    received: list[tuple[date, str, str]] = []
    day = date(2014, 11, 2)
    process = scheduler.Process(mail_app)
    with time_machine.travel(datetime.combine(day, time(7, 0), tzinfo=UTC), tick=False) as clock:
        while day <= date(2017, 12, 31):
            clock.move_to(datetime.combine(day, time(7, 0), tzinfo=UTC))
            if day in recommendations:  # the manager finishes each on its due date
                update_recommendation(
                    recommendations[day], cast.manager, today=day, status=RecommendationStatus.DONE
                )
            if day == RENEWED:
                journey.fire("renew", cast.manager, day)
            process.lead()  # the one process leads, and renews its lease each day
            process.daily_pass()
            process.dispatch()
            received += [(day, r.to[0], r.subject) for r in smtp.inbox.received]
            smtp.inbox.received.clear()
            day += timedelta(days=1)

    to_manager = [(d, subject) for d, to, subject in received if to == cast.manager.email]
    assert to_manager == [
        (
            date(2015, 4, 2),
            "Recommendation due on April 16, 2015: Formalise a three-year cluster strategy",
        ),
        (
            date(2015, 9, 29),
            "Recommendation due on October 13, 2015: "
            "Broaden the funding base beyond regional grants",
        ),
        (
            date(2016, 3, 27),
            "Recommendation due on April 10, 2016: Run a yearly member satisfaction survey",
        ),
        (date(2016, 4, 1), "DITENAVE can go for the Silver label"),
        (date(2016, 5, 4), "DITENAVE: the Bronze label ends in 180 days"),
        (date(2016, 8, 2), "DITENAVE: the Bronze label ends in 90 days"),
        (date(2016, 10, 1), "DITENAVE: the Bronze label ends in 30 days"),
        (date(2016, 10, 24), "DITENAVE: the Bronze label ends in 7 days"),
        (date(2016, 11, 1), "DITENAVE: the Bronze label has lapsed"),
    ]  # and nothing after the renewal: no "days left to renew" in the grace year
    to_coordinator = [(d, subject) for d, to, subject in received if to == cast.coordinator.email]
    copies = [(d, s) for d, s in to_coordinator if not s.startswith("certtrack weekly")]
    assert copies == [
        entry
        for entry in to_manager
        if "Recommendation" not in entry[1] and "Silver" not in entry[1]
    ]
    digests = [d for d, s in to_coordinator if s.startswith("certtrack weekly")]
    # Mondays from the first within 90 days of the end, to the label's last day.
    assert digests == [date(2016, 8, 8) + timedelta(weeks=n) for n in range(13)]
    assert all(to in (cast.manager.email, cast.coordinator.email) for _d, to, _s in received)

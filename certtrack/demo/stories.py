"""Each demo cluster's history, placed relative to today so that every workflow state,
label status and deadline has something real to show."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from certtrack.demo.story import Story, at
from certtrack.models import Level, RecommendationStatus, User
from certtrack.services.benchmarking import save_benchmarking, set_improvement_areas
from certtrack.services.conversation import post
from certtrack.services.recommendations import update_recommendation
from certtrack.workflow.dates import add_months

Teller = Callable[[Story, dict[str, User], date], None]


def months_ago(today: date, months: int, days: int = 0) -> date:
    return add_months(today, -months) - timedelta(days=days)


def name_improvement_areas(story: Story) -> None:
    set_improvement_areas(
        story.application,
        story.manager,
        [
            {"title": "Internationalisation services", "effect": "Members in two new markets"},
            {"title": "Joint R&D projects", "effect": "Four collaborative projects a year"},
            {"title": "Member engagement", "effect": "Event participation up by a third"},
        ],
    )


def bronze_then_silver_renewal_due(story: Story, people: dict[str, User], today: date) -> None:
    """Consorzio AREA: Bronze, upgraded to Silver, which now expires within 180 days."""
    bronze = months_ago(today, 42)
    story.labelled(Level.BRONZE, people["anna"], bronze, started=40, follow_up=10)
    upgrade = add_months(bronze, 19)
    story.advance(upgrade)
    story.fire("upgrade", story.manager, upgrade)
    name_improvement_areas(story)
    silver = add_months(upgrade, 2)
    story.to_label(people["luis"], silver)
    story.fire("start_follow_up", story.manager, silver + timedelta(days=10))
    strategy, funding, _survey = story.application.report.recommendations  # type: ignore[union-attr]
    update_recommendation(
        strategy,
        story.manager,
        today=add_months(silver, 5),
        status=RecommendationStatus.DONE,
        evidence="Strategy 2025-2028 approved by the assembly of members.",
        note="Three workshops with the board and the members.",
    )
    update_recommendation(
        funding,
        story.manager,
        today=add_months(silver, 9),
        status=RecommendationStatus.IN_PROGRESS,
        note="Two service contracts signed; a Horizon Europe proposal submitted.",
    )
    story.advance(today)
    app, luis = story.application, people["luis"]
    post(
        app,
        story.manager,
        "We would like to **renew** the Silver label. Which documents should we prepare?\n\n"
        "- the minutes of the assembly\n- the 2026 budget",
        now=at(today - timedelta(days=6)),
    )
    post(
        app,
        story.coordinator,
        "Luis is free in February; propose *two dates* to the cluster.",
        internal=True,
        now=at(today - timedelta(days=5)),
    )
    post(
        app,
        luis,
        "Please send both two weeks before the visit; the checklist is on "
        "[the ESCA site](https://www.cluster-analysis.org).",
        now=at(today - timedelta(days=4)),
    )


def bronze_in_follow_up(story: Story, people: dict[str, User], today: date) -> None:
    """DITENAVE: Bronze ten months ago, recommendations done, late and open."""
    interview = months_ago(today, 10)
    story.labelled(Level.BRONZE, people["petr"], interview, started=35, follow_up=14)
    late, done, _open = story.application.report.recommendations  # type: ignore[union-attr]
    update_recommendation(
        late,
        story.manager,
        today=months_ago(today, 6),
        status=RecommendationStatus.IN_PROGRESS,
        note="Strategy workshop with the board held; draft circulating.",
    )
    update_recommendation(
        done,
        story.manager,
        today=months_ago(today, 2),
        status=RecommendationStatus.DONE,
        evidence="Two EU projects and a members' service fee approved by the assembly.",
    )


def bronze_lapsed(story: Story, people: dict[str, User], today: date) -> None:
    """CMB: its Bronze ended last month; renewal still possible in the grace year."""
    story.labelled(Level.BRONZE, people["ioana"], months_ago(today, 26), started=30, follow_up=8)
    story.advance(today)


def renewed_now_in_review(story: Story, people: dict[str, User], today: date) -> None:
    """Polo Tecnologico di Pordenone: renewing its Bronze; the review is under way."""
    story.labelled(Level.BRONZE, people["anna"], months_ago(today, 23), started=30, follow_up=10)
    renew = months_ago(today, 1)
    story.advance(renew)
    story.fire("renew", story.manager, renew, comment="Renewing before the label ends.")
    story.submit_and_assign(people["luis"], renew + timedelta(days=6))
    draft = {
        "B01": {"number": 64, "comment": "Members with a signed agreement; six more in talks."},
        "B02": {"number": 5},
        "B03": {"number": 78},
        "B07": {"number": Decimal("2.5")},
        "B08": {"number": 3},
    }
    save_benchmarking(
        story.application, people["luis"], today=today - timedelta(days=2), values=draft
    )
    post(
        story.application,
        people["luis"],
        "Could you send the list of committed members?",
        now=at(today - timedelta(days=3)),
    )
    post(
        story.application, story.manager, "Sent by email today.", now=at(today - timedelta(days=2))
    )
    post(
        story.application,
        people["luis"],
        "Members list checked: 41 committed members, above the threshold.",
        internal=True,
        now=at(today - timedelta(days=1)),
    )


def expired_then_new_draft(story: Story, people: dict[str, User], today: date) -> None:
    """Parco Agroalimentare: missed its renewal and the grace year; starting again."""
    story.labelled(Level.BRONZE, people["sofia"], months_ago(today, 40), started=30, follow_up=12)
    story.advance(today)
    story.start(Level.BRONZE, months_ago(today, 2))


def submitted(story: Story, people: dict[str, User], today: date) -> None:
    """ASDI Sedia: its first application waits for a consultant."""
    story.start(Level.BRONZE, today - timedelta(days=20))
    story.fire("submit", story.manager, today - timedelta(days=15))


def just_issued(story: Story, people: dict[str, User], today: date) -> None:
    """DITEDI: Bronze issued five days ago; the follow-up has not started."""
    interview = today - timedelta(days=25)
    story.start(Level.BRONZE, interview - timedelta(days=40))
    story.to_label(people["giulia"], interview, issued=today - timedelta(days=5))


def rejected(story: Story, people: dict[str, User], today: date) -> None:
    """Moravian Engineering Cluster: the consultant refused the label."""
    story.start(Level.BRONZE, months_ago(today, 5))
    story.submit_and_assign(people["anna"], months_ago(today, 5) + timedelta(days=3))
    story.fire(
        "reject",
        people["anna"],
        months_ago(today, 3),
        reason="The cluster organisation is not yet a legal entity; apply once it is registered.",
    )


def returned_then_withdrawn(story: Story, people: dict[str, User], today: date) -> None:
    """Oltenia Automotive Cluster: sent back for changes, then withdrawn."""
    start = months_ago(today, 4)
    story.start(Level.BRONZE, start)
    story.fire("submit", story.manager, start + timedelta(days=2))
    story.fire(
        "return_for_changes",
        story.coordinator,
        start + timedelta(days=5),
        reason="Please list the committed members with their signed letters.",
    )
    story.fire(
        "withdraw",
        story.manager,
        months_ago(today, 3),
        comment="We apply again after this year's membership campaign.",
    )


def bronze_silver_gold(story: Story, people: dict[str, User], today: date) -> None:
    """Murcia Agrifood Technology Cluster: the whole climb, now holding Gold."""
    bronze = months_ago(today, 49)
    story.labelled(Level.BRONZE, people["ioana"], bronze, started=40, follow_up=9)
    upgrade = add_months(bronze, 18)
    story.advance(upgrade)
    story.fire("upgrade", story.manager, upgrade)
    name_improvement_areas(story)
    story.to_label(people["anna"], add_months(upgrade, 2))
    story.fire("start_follow_up", story.manager, add_months(upgrade, 2) + timedelta(days=9))
    gold_upgrade = months_ago(today, 10)
    story.advance(gold_upgrade)
    story.fire("upgrade", story.manager, gold_upgrade)
    story.to_label(people["petr"], months_ago(today, 8))
    story.fire("start_follow_up", story.manager, months_ago(today, 8, days=-10))


# cluster name -> (key of its manager in PEOPLE, its story)
STORIES: dict[str, tuple[str, Teller]] = {
    "Consorzio AREA": ("area", bronze_then_silver_renewal_due),
    "DITENAVE": ("ditenave", bronze_in_follow_up),
    "CMB s.c.r.l.": ("cmb", bronze_lapsed),
    "Polo Tecnologico di Pordenone": ("polo", renewed_now_in_review),
    "Parco Agroalimentare di San Daniele": ("parco", expired_then_new_draft),
    "ASDI Sedia": ("sedia", submitted),
    "DITEDI": ("ditedi", just_issued),
    "Moravian Engineering Cluster": ("moravian", rejected),
    "Oltenia Automotive Cluster": ("oltenia_mgr", returned_then_withdrawn),
    "Murcia Agrifood Technology Cluster": ("murcia_mgr", bronze_silver_gold),
}

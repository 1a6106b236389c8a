"""The scheme's configurable rules: defaults, config, database overrides."""

from decimal import Decimal

import pytest

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import Level, Setting
from certtrack.workflow.policy import Policy, load_policy


def test_defaults_follow_the_scheme():
    policy = Policy()
    assert policy.min_staff_fte == Decimal("0.5")
    assert (policy.min_committed_members, policy.min_member_types) == (15, 2)
    assert (policy.silver_window_min_months, policy.silver_window_max_months) == (18, 24)
    assert policy.gold_prerequisite == Level.BRONZE
    assert (policy.gold_pass_percent, policy.grace_months, policy.renewal_window_days) == (
        80,
        12,
        180,
    )
    assert policy.validity_months(Level.GOLD, renewal=False) == 24


def test_from_mapping_parses_strings_and_json():
    policy = Policy.from_mapping(
        {
            "min_staff_fte": "1.5",
            "require_english_website": "false",
            "gold_prerequisite": "none",
            "renewal_window_days": 90,
            "unknown_key": "ignored",
        }
    )
    assert policy.min_staff_fte == Decimal("1.5")
    assert policy.require_english_website is False
    assert policy.gold_prerequisite is None
    assert policy.renewal_window_days == 90


def test_reminder_offsets_parse_from_lists_and_text():
    assert Policy().reminder_days == (180, 90, 30, 7)
    assert Policy.from_mapping({"reminder_days": "7, 60,30,60"}).reminder_days == (60, 30, 7)
    assert Policy.from_mapping({"grace_reminder_days": [10, 45]}).grace_reminder_days == (45, 10)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("min_committed_members", "many"),
        ("min_committed_members", -1),
        ("min_staff_fte", "NaN"),
        ("require_eccp_listing", "maybe"),
        ("gold_prerequisite", "platinum"),
        ("grace_months", True),
        ("reminder_days", "30,soon"),
        ("reminder_days", ""),
        ("grace_reminder_days", "-5"),
    ],
)
def test_from_mapping_rejects_bad_values(key, value):
    with pytest.raises(ValueError, match=f"setting {key}"):
        Policy.from_mapping({key: value})


def test_database_overrides_config_which_overrides_defaults(migrated):
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=migrated,
        CERTTRACK_GRACE_MONTHS="6",
        CERTTRACK_RENEWAL_WINDOW_DAYS="120",
    )
    with app.app_context():
        try:
            db.session.add(Setting(key="renewal_window_days", value=60))
            db.session.commit()
            policy = load_policy()
            assert (policy.grace_months, policy.renewal_window_days) == (6, 60)
            assert policy.gold_pass_percent == 80
        finally:
            db.session.query(Setting).delete()
            db.session.commit()
            db.engine.dispose()


def test_as_dict_round_trips():
    policy = Policy(min_staff_fte=Decimal("0.75"), gold_prerequisite=Level.SILVER)
    assert Policy.from_mapping(policy.as_dict()) == policy

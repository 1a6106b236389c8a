"""The scheme's rules as admins set them: stored overrides of the configured policy."""

import dataclasses
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from certtrack.extensions import db
from certtrack.models import Setting
from certtrack.services.transaction import committed
from certtrack.workflow.errors import InvalidParams
from certtrack.workflow.policy import Policy, configured_policy

FIELDS = [field.name for field in dataclasses.fields(Policy)]


def save_settings(values: Mapping[str, Any]) -> Policy:
    """Validate every submitted setting, then store those that differ from the
    configuration (and drop overrides that no longer differ). All or nothing."""
    errors: dict[str, str] = {}
    for name, raw in values.items():
        if name not in FIELDS:
            errors[name] = _("Unknown setting.")
            continue
        try:
            Policy.from_mapping({name: raw})
        except ValueError:
            errors[name] = _("This value is not valid.")
    if errors:
        raise InvalidParams(_("Some settings are not valid; nothing was saved."), errors)
    base = configured_policy().as_dict()
    wanted = Policy.from_mapping({**base, **values}).as_dict()
    with committed():
        db.session.execute(delete(Setting).where(Setting.key.in_(list(values))))
        for name in values:
            if wanted[name] != base[name]:
                db.session.add(Setting(key=name, value=wanted[name]))
    return Policy.from_mapping(wanted)


def overridden() -> set[str]:
    return set(db.session.scalars(select(Setting.key)))

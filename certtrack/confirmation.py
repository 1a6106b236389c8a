"""Destructive or final steps wait for the person's confirmation on the page. Which steps
is the workflow definition's `confirm` (and the document delete's consequence); this is
how a page asks and how a route tells that it was given."""

from collections.abc import Mapping
from typing import Any

from flask import render_template

# The field the confirmation's final button sends; a post without it changes nothing.
FIELD = "confirmed"
VALUE = "yes"


def given(form: Mapping[str, str]) -> bool:
    """Whether the post comes from the confirmation's final button."""
    return form.get(FIELD) == VALUE


def ask(
    *,
    label: Any,
    consequence: Any,
    action: str,
    back: str,
    tone: str = "danger",
    hidden: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> tuple[str, int]:
    """The confirmation page for a step posted without its confirmation (422: nothing
    was changed): the consequence and the final button, opened."""
    page = render_template(
        "confirm.html",
        label=label,
        consequence=consequence,
        action=action,
        back=back,
        tone=tone,
        hidden=dict(hidden or {}),
        reason=reason,
    )
    return page, 422

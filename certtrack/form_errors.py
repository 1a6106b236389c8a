"""A refused form's errors, gathered for the error summary at the top of the page and
marked on each invalid field (aria-invalid, aria-describedby to the message beside it)."""

from dataclasses import dataclass
from typing import Any

from wtforms import FieldList, FormField, HiddenField, RadioField, SubmitField
from wtforms.csrf.core import CSRFTokenField

# Fields drawn as one input per choice: the summary links to the first choice.
CHOICE_TYPES = ("RadioField", "MultiCheckboxField")


@dataclass(frozen=True)
class FormError:
    """One line of the error summary: the message, the field's label and the id of the
    element its link moves to (None for an error of the whole form)."""

    message: str
    label: str | None = None
    target: str | None = None


def error_id(field: Any) -> str:
    """The id of the message shown beside `field`."""
    return f"{field.id}-error"


def target_id(field: Any) -> str:
    """The id of the element a summary link focuses: the field, or its first choice."""
    if isinstance(field, RadioField) or field.type in CHOICE_TYPES:
        return f"{field.id}-0"
    return str(field.id)


def invalid_attrs(field: Any, *described_by: str | None) -> dict[str, str]:
    """Attributes for an input: `aria-invalid` and the message's id in
    `aria-describedby` when refused, plus any hint ids given."""
    ids = [i for i in described_by if i]
    attrs: dict[str, str] = {}
    if field.errors:
        attrs["aria-invalid"] = "true"
        ids.insert(0, error_id(field))
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return attrs


def form_errors(*forms: Any) -> list[FormError]:
    """Every error of `forms` in the order of the page: each form's own errors first,
    then each field's. None is skipped; a list of FormError is taken as it is."""
    found: list[FormError] = []
    for form in forms:
        if isinstance(form, list):
            found.extend(form)
        elif form is not None:
            found.extend(FormError(str(m)) for m in getattr(form, "form_errors", []))
            _walk(form, found)
    return found


def _walk(form: Any, found: list[FormError]) -> None:
    for field in form:
        if isinstance(field, SubmitField):
            continue
        if isinstance(field, FormField):
            own = getattr(field.form, "form_errors", [])
            found.extend(FormError(str(m), None, _first_target(field)) for m in own)
            _walk(field.form, found)
        elif isinstance(field, FieldList):
            # Errors given to the list itself (e.g. "needs 3 areas") link to its first entry.
            first = _first_target(field)
            found.extend(FormError(str(m), None, first) for m in field.errors if _is_message(m))
            for entry in field.entries:
                if isinstance(entry, FormField):
                    _walk(entry.form, found)
                else:
                    _add(entry, found)
        else:
            _add(field, found)


def _add(field: Any, found: list[FormError]) -> None:
    # A hidden field's error (a stale page, a missing token) has nothing to link to.
    hidden = isinstance(field, HiddenField)
    for message in field.errors:
        if _is_message(message):
            target = None if hidden else target_id(field)
            label = None if hidden else getattr(field, "summary_label", field.label.text)
            found.append(FormError(str(message), str(label) if label else None, target))


def _is_message(error: Any) -> bool:
    """A message (a string or a lazy translation), not the nested errors of an entry."""
    return not isinstance(error, dict | list | tuple)


def _first_target(field: Any) -> str | None:
    """The first visible input inside a list or a sub-form."""
    for child in field.entries if isinstance(field, FieldList) else field.form:
        if isinstance(child, FormField | FieldList):
            if (target := _first_target(child)) is not None:
                return target
        elif not isinstance(child, HiddenField | SubmitField | CSRFTokenField):
            return target_id(child)
    return None


def document_errors(form_name: str | None, errors: dict[str, str]) -> list[FormError]:
    """A refused upload or replacement (the documents forms are plain HTML): each error
    linked to the input of `form_name` it is shown beside (ids as in _documents.html)."""
    if not form_name:
        return []
    kind, _dash, key = form_name.partition("-")
    if kind == "replace":
        inputs = {"title": f"replace-title-{key}"}
        default = f"replace-file-{key}"
    else:
        suffix = key or "app"
        link = f"link-{suffix}" if not key else f"files-{suffix}"
        inputs = {"title": f"title-{suffix}", "link": link}
        inputs.update(indicator_id=link, improvement_area_id=link)
        default = f"files-{suffix}"
    return [FormError(message, None, inputs.get(name, default)) for name, message in errors.items()]

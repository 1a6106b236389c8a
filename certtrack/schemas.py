"""marshmallow pieces the API and the pages share: fields with this service's rules
(ASCII whole numbers within range, strict booleans) and its translated messages, the
strict base schemas, the error shape, and turning marshmallow's refusal into ours."""

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from certtrack.parsing import MAX_ID, number_problem, whole_number


class _OurMessages:
    """Our words for marshmallow's error keys; `kind` names the JSON type expected."""

    kind = "string"

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        if key == "required":
            return ValidationError(_("This field is required."))
        if key == "null":
            return ValidationError(_("May not be null."))
        return ValidationError(_("Must be of type %(kind)s.", kind=self.kind))


class Text(_OurMessages, fields.String):
    pass


class Flag(_OurMessages, fields.Boolean):
    kind = "boolean"

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):  # marshmallow would take 1, "yes" and "on"
            raise self.make_error("invalid")
        return value


class Day(_OurMessages, fields.Date):
    kind = "date"


class Object(_OurMessages, fields.Dict):
    kind = "object"


class Items(_OurMessages, fields.List):
    kind = "array"


class WholeNumber(_OurMessages, fields.Integer):
    """An integer within low..high (certtrack.parsing's rule): a JSON number in a body,
    ASCII digits in a query string (`text`). Never '²', never past the column's range."""

    kind = "integer"

    def __init__(self, low: int = 1, high: int = MAX_ID, *, text: bool = False, **kw: Any):
        metadata = {"minimum": low, "maximum": high, **kw.pop("metadata", {})}
        super().__init__(strict=True, metadata=metadata, **kw)
        self.low, self.high, self.text = low, high, text

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if not self.text and not (isinstance(value, int) and not isinstance(value, bool)):
            raise self.make_error("invalid")
        number = whole_number(value, self.low, self.high)
        if number is None:
            raise ValidationError(number_problem(self.low, self.high))
        return number


class _Choose(validate.OneOf):
    def _format_error(self, value: Any) -> str:
        return _("Choose from: %(v)s.", v=", ".join(str(c) for c in self.choices))


def choice(values: Iterable[str], **kw: Any) -> Text:
    """A text field that must be one of `values` (documented as an enum)."""
    return Text(validate=_Choose(list(values)), **kw)


class Choice(_OurMessages, fields.Enum):
    """One of an enum's values, loaded as the enum member."""

    def __init__(self, enum: type[Enum], **kw: Any) -> None:
        super().__init__(enum, by_value=True, metadata={"type": "string"}, **kw)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        if key == "unknown":
            return ValidationError(_("Choose from: %(v)s.", v=self.choices_text))
        return super().make_error(key, **kwargs)


class Body(Schema):
    """A request body: a JSON object whose unknown fields are refused."""

    error_messages = {"unknown": _l("Unknown field."), "type": _l("Must be an object.")}


class Query(Body):
    """A query string: unknown parameters are refused like a body's unknown fields."""

    error_messages = {"unknown": _l("Unknown parameter.")}


class Filters(Query):
    """A page's query filters: the pages ignore parameters they do not read."""

    class Meta:
        unknown = EXCLUDE


class Representation(Schema):
    """An answer: every field is always there (null when empty), so the document marks
    each one required; a dotted attribute across an empty link gives null."""

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        field_obj.required = True

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        for part in attr.split("."):
            if obj is None:
                return None
            obj = super().get_attribute(obj, part, default)
        return obj


# "fields" would shadow Schema.fields as a class attribute.
_ErrorBody = Representation.from_dict(
    {
        "code": fields.String(),
        "message": fields.String(),
        "fields": fields.Dict(values=fields.String()),
    },
    name="ErrorBodySchema",
)


class ErrorSchema(Representation):
    """Every error the API answers: {"error": {"code", "message", "fields"}}."""

    error = fields.Nested(_ErrorBody)


def field_problems(messages: Mapping[str, Any]) -> dict[str, str]:
    """marshmallow's messages (nested by field, list index or, from webargs, location)
    as {field: its first message}; a body that is no object is "body"."""
    problems: dict[str, str] = {}
    for name, found in messages.items():
        if isinstance(found, Mapping) and name in ("json", "query", "querystring", "files"):
            problems.update(field_problems(found))
            continue
        while isinstance(found, Mapping | list | tuple):
            found = next(iter(found.values() if isinstance(found, Mapping) else found))
        problems["body" if name == "_schema" else str(name)] = str(found)
    return problems


def load(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` loaded by `schema`; a refusal is an InvalidParams naming each field."""
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as error:
        raise refused(error.messages) from None
    return loaded


def refused(messages: Any) -> Exception:
    """The InvalidParams (422 invalid_params) for marshmallow's messages."""
    # Imported here: the workflow package needs the extensions, which need ErrorSchema.
    from certtrack.workflow.errors import InvalidParams

    problems = field_problems(messages if isinstance(messages, Mapping) else {"body": messages})
    return InvalidParams(_("The request is not valid."), problems)

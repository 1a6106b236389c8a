from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField

from certtrack.services.conversation import MAX_BODY


class MessageForm(FlaskForm):
    # The service checks the text (empty, too long, control characters): one rule.
    body = TextAreaField(_l("Message"), render_kw={"rows": 5, "maxlength": MAX_BODY})
    internal = BooleanField(_l("Internal note — not visible to the cluster"))
    submit = SubmitField(_l("Post"))

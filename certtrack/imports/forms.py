from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField


class UploadForm(FlaskForm):
    agency_id = SelectField(_l("Agency"), coerce=int)
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired(_l("Choose a file."))])


class ConfirmForm(FlaskForm):
    """Nothing but the CSRF token: the file waits on the server under the page's token."""

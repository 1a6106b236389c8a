from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from certtrack.conversation.forms import MessageForm
from certtrack.models import Application, DocumentPurpose
from certtrack.services import access, conversation, documents
from certtrack.upload_routes import takes_uploads
from certtrack.web import actor, apply_errors, form_status, paginate
from certtrack.workflow.errors import NotFound, WorkflowError
from certtrack.workflow.permissions import reads_internal_notes, upload_refusal

bp = Blueprint("conversation", __name__)


@bp.route("/applications/<int:application_id>/conversation", methods=["GET", "POST"])
@takes_uploads
@login_required
def thread(application_id: int) -> str | Response | tuple[str, int]:
    """The whole conversation, newest last, page by page (the last page first), with
    the form to post (and files to attach); a refused post comes back with its text
    and the reason beside the field, with the refusal's status."""
    user = actor()
    application = access.get_application(user, application_id)
    form = MessageForm()
    if form.validate_on_submit():
        files = [
            documents.Upload(f.stream, f.filename or "")
            for f in form.files.data or []
            if f.filename  # an empty file input sends a part without a name
        ]
        try:
            message = conversation.post(
                application,
                user,
                form.body.data or "",
                internal=bool(form.internal.data),
                files=files,
            )
        except NotFound:
            raise
        except WorkflowError as error:
            apply_errors(form, error.fields or {"files": error.message})
            return _page(application, form), error.status
        flash(_("Your message is posted."), "success")
        return redirect(conversation.thread_link(application.id, message.id))
    return _page(application, form), form_status(form)


def _page(application: Application, form: MessageForm) -> str:
    user = actor()
    page = paginate(conversation.messages(user, application), last_first=True)
    return render_template(
        "conversation/thread.html",
        app=application,
        page=page,
        form=form,
        may_post=conversation.may_post(user, application),
        may_note=conversation.may_post(user, application, internal=True),
        may_attach=upload_refusal(user, application, DocumentPurpose.EVIDENCE) is None,
        muted=conversation.is_muted(user, application),
        sees_notes=reads_internal_notes(user, application),
    )


@bp.post("/applications/<int:application_id>/conversation/mute")
@login_required
def mute(application_id: int) -> Response:
    return _set_muted(application_id, True, _("You will hear no more of this conversation."))


@bp.post("/applications/<int:application_id>/conversation/unmute")
@login_required
def unmute(application_id: int) -> Response:
    return _set_muted(application_id, False, _("You will hear of new messages again."))


def _set_muted(application_id: int, muted: bool, message: str) -> Response:
    user = actor()
    application = access.get_application(user, application_id)
    conversation.set_muted(user, application, muted)
    flash(message, "success")
    return redirect(url_for("conversation.thread", application_id=application.id))

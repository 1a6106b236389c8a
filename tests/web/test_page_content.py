"""What a page shows obeys the same rules as who may open it: another tenant's
recommendations, evidence, progress notes, summaries and history never appear on any page
a role can open. Every piece of such content gets a unique marker, then every page of the
permission matrix is read as every role."""

import io

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEntry,
    ConversationMessage,
    Document,
    IndicatorValue,
    ProgressNote,
    Recommendation,
    Report,
    User,
)
from certtrack.services import access
from certtrack.services.portfolio_import import COLUMNS
from certtrack.workflow.permissions import reads_internal_notes
from tests.web.conftest import sign_in
from tests.web.test_permissions import ROLES, cases, demo_ids


def mark_content(app: Flask) -> dict[int, set[str]]:
    """Rewrite every application's private texts as markers (none a prefix of another);
    returns them per application."""
    markers: dict[int, set[str]] = {}
    with app.app_context():
        for report in db.session.scalars(select(Report)):
            report.summary = f"summary-marker-{report.id}-end"
            markers.setdefault(report.application_id, set()).add(report.summary)
            for rec in report.recommendations:
                rec.evidence = f"evidence-marker-{rec.id}-end"
                rec.detail = f"detail-marker-{rec.id}-end"
                markers[report.application_id] |= {rec.evidence, rec.detail}
                for note in rec.notes:
                    note.text = f"note-marker-{note.id}-end"
                    markers[report.application_id].add(note.text)
        for value in db.session.scalars(select(IndicatorValue)):
            value.comment = f"comment-marker-{value.id}-end"
            markers.setdefault(value.application_id, set()).add(value.comment)
        for document in db.session.scalars(select(Document)):
            document.title = f"document-marker-{document.id}-end"
            document.file_name = f"file-marker-{document.id}-end.txt"
            markers.setdefault(document.application_id, set()).update(
                {document.title, document.file_name}
            )
        db.session.execute(
            update(AuditEntry).values(
                comment="history-marker-" + AuditEntry.id.cast(db.String) + "-end"
            )
        )
        for entry_id, application_id in db.session.execute(
            select(AuditEntry.id, AuditEntry.application_id)
        ):
            markers.setdefault(application_id, set()).add(f"history-marker-{entry_id}-end")
        for message in db.session.scalars(select(ConversationMessage)):
            kind = "internal" if message.internal else "message"
            message.body = f"{kind}-marker-{message.id}-end"
            markers.setdefault(message.application_id, set()).add(message.body)
        db.session.commit()
    return markers


def unreadable_notes(app: Flask, user: User) -> set[str]:
    """The markers of the internal notes `user` may not read, on applications they see
    as well (a cluster's manager reads none)."""
    notes = select(ConversationMessage).where(ConversationMessage.internal.is_(True))
    return {
        f"internal-marker-{note.id}-end"
        for note in db.session.scalars(notes)
        if not reads_internal_notes(user, note.application)
    }


def hidden_from(app: Flask, email: str, markers: dict[int, set[str]]) -> set[str]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        visible = set(
            db.session.scalars(select(Application.id).where(access.application_filter(user)))
        )
        notes = unreadable_notes(app, user)
    return notes | {
        marker for app_id, texts in markers.items() if app_id not in visible for marker in texts
    }


def readable_text(response: TestResponse) -> str:
    """What a reader sees of a response: a page's HTML, a PDF's text without whitespace
    (a marker may wrap in a narrow table cell)."""
    if response.mimetype != "application/pdf":
        return response.get_data(as_text=True)
    reader = PdfReader(io.BytesIO(response.data))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize("role", [role for role in ROLES if ROLES[role] and role != "admin"])
def test_no_page_shows_another_tenants_content(role, demo, client):
    markers = mark_content(demo)
    hidden = hidden_from(demo, ROLES[role], markers)
    assert hidden, "the demo gives every role something it may not see"
    with demo.app_context():
        notes = db.session.scalar(select(db.func.count()).select_from(ProgressNote))
        recommendations = db.session.scalar(select(db.func.count()).select_from(Recommendation))
    assert notes and recommendations, "the demo has notes and recommendations to hide"
    sign_in(client, ROLES[role])
    read, leaks = 0, []
    for case in cases(demo_ids(demo)):
        if case.method != "GET" or case.expect[role] != 200:
            continue
        page = readable_text(client.get(case.url, buffered=True))
        read += 1
        leaks += [f"{case.url}: {marker}" for marker in hidden if marker in page]
    assert read >= 10
    assert not leaks, "\n".join(sorted(leaks))


def test_a_consultant_sees_a_cluster_through_their_own_applications_only(demo, client):
    """Luis reviewed AREA's Silver; AREA's Bronze was someone else's review."""
    markers = mark_content(demo)
    ids = demo_ids(demo)
    with demo.app_context():
        luis = db.session.scalar(select(User).where(User.email == ROLES["consultant"]))
        others = db.session.scalars(
            select(Application.id).where(
                Application.cluster_id == ids["area"], Application.consultant_id != luis.id
            )
        ).all()
    assert others
    page = sign_in(client, ROLES["consultant"]).get(f"/clusters/{ids['area']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for other in others:
        assert f'/applications/{other}"' not in text
        assert not [marker for marker in markers.get(other, ()) if marker in text]


def test_the_report_pdf_is_read_for_markers_too(demo, client):
    """The sweep above reads PDFs as text: the manager's own report shows its markers."""
    markers = mark_content(demo)
    ids = demo_ids(demo)
    sign_in(client, ROLES["manager"])
    text = readable_text(client.get(f"/applications/{ids['area_app']}/report.pdf"))
    # The report's own texts (the PDF leaves out the follow-up's evidence and notes).
    own = {m for m in markers[ids["area_app"]] if m.startswith(("summary", "detail"))}
    assert own and all(marker in text for marker in own)


def test_the_cluster_reads_its_conversation_but_never_an_internal_note(demo, client):
    """AREA's manager reads the messages of AREA's conversation on the application page
    and the conversation page, and no internal note, not even in the history."""
    markers = mark_content(demo)
    ids = demo_ids(demo)
    with demo.app_context():
        messages = db.session.scalars(
            select(ConversationMessage).where(ConversationMessage.application_id == ids["area_app"])
        ).all()
    notes = {m.body for m in messages if m.internal}
    shared = {m.body for m in messages if not m.internal}
    assert notes and shared and notes | shared <= markers[ids["area_app"]]
    sign_in(client, ROLES["manager"])
    application = f"/applications/{ids['area_app']}"
    for url in (application, f"{application}/conversation"):
        page = client.get(url).get_data(as_text=True)
        assert all(marker in page for marker in shared), url
        assert not [note for note in notes if note in page], url
        assert "data-internal" not in page and "Internal note" not in page, url
    sign_in(client, ROLES["coord"])
    page = client.get(f"/applications/{ids['area_app']}/conversation").get_data(as_text=True)
    assert all(marker in page for marker in notes | shared)
    assert "Internal note — not visible to the cluster" in page


@pytest.mark.parametrize("role", [role for role in ROLES if ROLES[role] and role != "coord"])
def test_no_page_shows_another_persons_import_preview(role, demo, client):
    """An uploaded portfolio waits for its uploader's confirmation: nobody else, not even
    an admin, reads its rows on any page, nor opens its preview."""
    import io

    sign_in(client, ROLES["coord"])
    row = "import-marker-cluster-end,IT,,,,,,,,,,"
    headers = ",".join(names["en"] for names in COLUMNS.values())
    response = client.post(
        "/import",
        data={
            "agency_id": str(demo_ids(demo)["agency"]),
            "file": (io.BytesIO(f"{headers}\n{row}\n".encode()), "marker.csv"),
        },
        content_type="multipart/form-data",
    )
    preview = response.headers["Location"]
    assert "import-marker-cluster-end" in client.get(preview).get_data(as_text=True)
    sign_in(client, ROLES[role])
    assert client.get(preview).status_code in (403, 404)
    pages = [c.url for c in cases(demo_ids(demo)) if c.method == "GET" and c.expect[role] == 200]
    leaks = [u for u in pages if "import-marker" in readable_text(client.get(u, buffered=True))]
    assert pages and not leaks


@pytest.mark.parametrize("role", [role for role in ROLES if ROLES[role] and role != "admin"])
def test_no_page_shows_another_agencys_programme(role, demo, client):
    """CzechInvest's target (a marker number and due day) and its programme figures are
    read by its coordinators and admins only: never on a page another role opens."""
    from datetime import date

    from certtrack.models import Agency, ProgrammeTarget, TargetKind

    with demo.app_context():
        czech = db.session.scalar(select(Agency).where(Agency.short_name == "CZI"))
        db.session.add(
            ProgrammeTarget(
                agency_id=czech.id,
                kind=TargetKind.LABELS_AT_LEVEL,
                level="gold",
                number=8765,
                due_on=date(2039, 3, 17),
            )
        )
        db.session.commit()
        czech_id = czech.id
    sign_in(client, ROLES[role])
    pages = [c.url for c in cases(demo_ids(demo)) if c.method == "GET" and c.expect[role] == 200]
    if role != "other_coord":
        pages += [f"/programme/{czech_id}", f"/programme/{czech_id}.csv"]
    leaks = []
    for url in pages:
        text = readable_text(client.get(url, buffered=True))
        if role != "other_coord" and ("8765" in text or "2039-03-17" in text):
            leaks.append(url)
    assert pages and not leaks, leaks
    if role == "other_coord":  # their own programme shows it
        assert "8765" in client.get(f"/programme/{czech_id}").get_data(as_text=True)

"""Two uploads racing for the last bytes of an application's quota: exactly one is
stored, on SQLite and on PostgreSQL, with either store. Each upload runs in its own
thread with its own session; both pass the early check and store their bytes before
either takes the quota (a barrier in the store holds them there)."""

import io
import threading
from typing import Any, BinaryIO

from certtrack.extensions import db
from certtrack.models import Application, User
from certtrack.services import documents
from certtrack.storage import Storage, Stored, storage_for
from certtrack.workflow.errors import PayloadTooLarge
from tests.documents.conftest import QUOTA, blobs, document_rows, usage

SIZE = 60 * 1024


class MeetingStore:
    """The app's real store; each save waits until both racers have saved."""

    def __init__(self, store: Storage, barrier: threading.Barrier) -> None:
        self.store, self.barrier = store, barrier

    def save(self, stream: BinaryIO) -> Stored:
        stored = self.store.save(stream)
        self.barrier.wait(timeout=30)
        return stored

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def text_file(letter: str) -> documents.Upload:
    return documents.Upload(io.BytesIO(letter.encode() * SIZE), f"{letter}.txt")


def test_two_uploads_racing_for_the_last_bytes_one_wins(app, journey):
    application_id, manager_id = journey.application.id, journey.cast.manager.id
    # 180 kB of 256 kB taken: room for one more 60 kB file, not two.
    documents.upload(journey.application, journey.cast.manager, [text_file(c) for c in "abc"])
    real = storage_for(app)
    app.extensions["certtrack_storage"] = MeetingStore(real, threading.Barrier(2))
    outcomes: dict[str, object] = {}

    def race(letter: str) -> None:
        with app.app_context():
            try:
                documents.upload(
                    db.session.get(Application, application_id),
                    db.session.get(User, manager_id),
                    [text_file(letter)],
                )
                outcomes[letter] = "stored"
            except PayloadTooLarge as refused:
                outcomes[letter] = refused
            finally:
                db.session.remove()

    racers = [threading.Thread(target=race, args=(letter,)) for letter in "xy"]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
    app.extensions["certtrack_storage"] = real

    assert sorted(map(str, outcomes.values())).count("stored") == 1, outcomes
    [loser] = [o for o in outcomes.values() if isinstance(o, PayloadTooLarge)]
    assert "256 kB" in loser.message
    rows = document_rows(app)
    assert len(rows) == 4
    assert blobs(app) == {r.storage_key for r in rows}
    assert usage(app, application_id) == 4 * SIZE <= QUOTA

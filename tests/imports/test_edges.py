"""The page, the command and the API: thin edges on the same service, same outcomes."""

import io
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from certtrack.extensions import db
from certtrack.models import Agency, Cluster, Label, PortfolioUpload
from tests.builders import PASSWORD, make_cast
from tests.builders import snapshot as db_snapshot
from tests.imports.conftest import GOOD, csv_bytes, xlsx_bytes
from tests.web.conftest import sign_in


@dataclass
class People:
    """The cast's ids and addresses (requests run in app contexts of their own, so no
    signed-in user leaks from one request to the next through `g`)."""

    agency_id: int
    coordinator: str
    other_coordinator: str
    manager: str
    other_cluster_id: int


@pytest.fixture
def cast(app, frozen):
    with app.app_context():
        cast = make_cast()
        return People(
            cast.agency.id,
            cast.coordinator.email,
            cast.other_coordinator.email,
            cast.manager.email,
            cast.other_cluster.id,
        )


def snapshot(app):
    """Every table but the tokens' and sessions' last use."""
    with app.app_context():
        tables = db_snapshot()
    return {
        name: rows for name, rows in tables.items() if name not in ("api_token", "user_session")
    }


def scalar(app, query):
    with app.app_context():
        return db.session.scalar(query)


BAD_ROW = ["Cluster X", "IT", "", "", "", "", "", "Platinum", "N-9", "2025-01", "2027-01-31", ""]


def upload(client, content, name, **data):
    return client.post(
        "/import", data={"file": (io.BytesIO(content), name), **data},
        content_type="multipart/form-data",
    )  # fmt: skip


def test_page_previews_then_imports_once(cast, app):
    client = sign_in(app.test_client(), cast.coordinator, PASSWORD)
    assert 'href="/import"' in client.get("/").get_data(as_text=True)  # in the navigation
    response = upload(client, csv_bytes(GOOD), "portfolio.csv", agency_id=cast.agency_id)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    before = snapshot(app)
    page = client.get(preview_url).get_data(as_text=True)
    assert "To create: 3" in page and "To update: 1" in page
    assert '<th scope="col">' in page and "Import these 4 rows" in page
    assert snapshot(app) == before
    assert client.post(preview_url).status_code == 302
    assert scalar(app, select(Cluster.id).where(Cluster.name == "Cluster Mare")) is not None
    assert scalar(app, select(PortfolioUpload.token)) is None
    # Confirming twice imports once: the preview is gone.
    assert client.post(preview_url).status_code == 404


def test_page_refuses_bad_rows_and_keeps_everything_as_it_was(cast, app):
    client = sign_in(app.test_client(), cast.coordinator, PASSWORD)
    before = snapshot(app)
    response = upload(client, xlsx_bytes([*GOOD, BAD_ROW]), "p.xlsx", agency_id=cast.agency_id)
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "There is a problem" in page and 'href="#row-6"' in page
    assert "Row 6, Level: Must be Bronze, Silver or Gold." in page
    assert "Import these" not in page
    assert client.post(preview_url).status_code == 422
    assert scalar(app, select(PortfolioUpload.file_name)) == "p.xlsx"  # kept for a retry
    assert {k: v for k, v in snapshot(app).items() if k != "portfolio_upload"} == {
        k: v for k, v in before.items() if k != "portfolio_upload"
    }


def test_page_refuses_unreadable_files_beside_the_field(cast, app):
    client = sign_in(app.test_client(), cast.coordinator, PASSWORD)
    for content, name, says in [
        (b"", "empty.csv", "The file is empty."),
        (b"%PDF-1.4", "x.pdf", "Upload a CSV or an Excel (XLSX) file."),
        (b"Name,Colour\nX,red\n", "x.csv", "Missing columns"),
    ]:
        response = upload(client, content, name, agency_id=cast.agency_id)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "There is a problem" in page and says in page and 'href="#file"' in page


def test_a_coordinator_never_imports_into_or_sees_another_agency(cast, app):
    other = sign_in(app.test_client(), cast.other_coordinator, PASSWORD)
    response = upload(other, csv_bytes(GOOD), "p.csv", agency_id=cast.agency_id)
    assert response.status_code == 422  # not one of their choices
    mine = sign_in(app.test_client(), cast.coordinator, PASSWORD)
    preview_url = upload(mine, csv_bytes(GOOD), "p.csv", agency_id=cast.agency_id).headers[
        "Location"
    ]
    assert other.get(preview_url).status_code == 404
    assert other.post(preview_url).status_code == 404
    # The other agency's cluster is only named as taken, never shown.
    row = ["Moravian Engineering Cluster", "IT", "", "Cars", "", "", "", "", "", "", "", ""]
    preview_url = upload(mine, csv_bytes([row]), "p.csv", agency_id=cast.agency_id).headers[
        "Location"
    ]
    page = mine.get(preview_url).get_data(as_text=True)
    assert "Another cluster already has this name." in page
    assert "CZ" not in re.sub(r"<[^>]+>", "", page.split("<main", 1)[-1]).split()
    assert scalar(app, select(Cluster.sector).where(Cluster.id == cast.other_cluster_id)) != "Cars"
    manager = sign_in(app.test_client(), cast.manager, PASSWORD)
    assert manager.get("/import").status_code == 403


def test_templates_download_in_both_languages(cast, app):
    client = sign_in(app.test_client(), cast.coordinator, PASSWORD)
    csv_it = client.get("/import/template?format=csv&language=it")
    assert csv_it.status_code == 200 and csv_it.data.startswith(b"Nome del cluster,Paese")
    xlsx = client.get("/import/template?format=xlsx&language=en")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
    assert client.get("/import/template?format=pdf").status_code == 404


def test_command_previews_refuses_and_commits(cast, app, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([*GOOD, BAD_ROW]))
    before = snapshot(app)
    result = runner.invoke(args=["import", "clusters", str(bad), "--agency", "INF", "--commit"])
    assert result.exit_code == 1
    assert "row 6\trefused\tCluster X\tLevel: Must be Bronze, Silver or Gold." in result.output
    assert snapshot(app) == before
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes(GOOD))
    result = runner.invoke(args=["import", "clusters", str(good), "--agency", "INF"])
    assert result.exit_code == 0 and "Preview only" in result.output
    assert snapshot(app) == before
    result = runner.invoke(args=["import", "clusters", str(good), "--agency", "INF", "--commit"])
    assert result.exit_code == 0 and "3 create, 1 update, 0 unchanged, 0 refused." in result.output
    again = runner.invoke(args=["import", "clusters", str(good), "--agency", "INF", "--commit"])
    assert "0 create, 0 update, 4 unchanged, 0 refused." in again.output
    assert runner.invoke(args=["import", "clusters", str(good), "--agency", "NOPE"]).exit_code == 2


def api_post(client, token, content, name, **data):
    return client.post(
        "/api/v1/imports",
        data={"file": (io.BytesIO(content), name), **data},
        headers={"Authorization": f"Bearer {token}"},
        content_type="multipart/form-data",
    )


def test_api_previews_commits_all_or_none_and_is_idempotent(cast, app):
    from tests.api.conftest import token_for

    client = app.test_client()
    token = token_for(client, cast.coordinator)
    before = snapshot(app)
    preview = api_post(client, token, xlsx_bytes(GOOD), "p.xlsx")
    assert preview.status_code == 200
    body = preview.get_json()
    assert (body["committed"], body["counts"]["create"], body["agency"]) == (False, 3, "INF")
    assert snapshot(app) == before
    refused = api_post(client, token, csv_bytes([*GOOD, BAD_ROW]), "p.csv", commit="true")
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "invalid_params"
    assert error["fields"] == {"row 6, Level": "Must be Bronze, Silver or Gold."}
    assert snapshot(app) == before
    done = api_post(client, token, csv_bytes(GOOD), "p.csv", commit="true")
    assert done.status_code == 200 and done.get_json()["committed"] is True
    assert scalar(app, select(Label.number).where(Label.number == "IT-S-001"))
    again = api_post(client, token, csv_bytes(GOOD), "p.csv", commit="true").get_json()
    assert again["counts"]["unchanged"] == 4
    empty = api_post(client, token, b"", "p.csv")
    assert empty.status_code == 422 and empty.get_json()["error"]["fields"] == {
        "file": "The file is empty."
    }
    assert api_post(client, token, b"%PDF-1.4", "p.pdf").status_code == 422
    other = token_for(client, cast.other_coordinator)
    assert api_post(client, other, csv_bytes(GOOD), "p.csv", agency="INF").status_code == 403
    manager = token_for(client, cast.manager)
    assert api_post(client, manager, csv_bytes(GOOD), "p.csv").status_code == 403


def test_page_refuses_an_oversized_file_beside_the_field(cast, app):
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    client = sign_in(app.test_client(), cast.coordinator, PASSWORD)
    big = csv_bytes(GOOD) + b"\n" * (1024 * 1024)
    # Encoded here: the test client spools bodies this large to a file it never closes.
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(big), "big.csv"), "agency_id": str(cast.agency_id)}
    )
    response = client.post(
        "/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 422
    assert "The file is larger than 1 MB." in response.get_data(as_text=True)
    assert scalar(app, select(PortfolioUpload.token)) is None


def test_an_admin_imports_into_any_agency(cast, app):
    client = sign_in(app.test_client(), "admin@certtrack.example", PASSWORD)
    other = scalar(app, select(Agency.id).where(Agency.short_name == "CZI"))
    rows = [["Brno Cluster", "CZ", "", "", "", "", "", "", "", "", "", ""]]
    preview_url = upload(client, csv_bytes(rows), "p.csv", agency_id=other).headers["Location"]
    assert client.post(preview_url).status_code == 302
    assert scalar(app, select(Cluster.agency_id).where(Cluster.name == "Brno Cluster")) == other

"""The individual report as a PDF, read back with pypdf: what it shows, in the reader's
language, and that user text is shown as text and fetches nothing."""

import io
import time

import pytest
from pypdf import PdfReader

from tests.web.conftest import open_application_id, sign_in


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_smoke(demo, client):
    app_id = open_application_id(demo, "Consorzio AREA")
    sign_in(client, "manager@area.example")
    started = time.perf_counter()
    response = client.get(f"/applications/{app_id}/report.pdf")
    print("render", time.perf_counter() - started, len(response.data))
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    with open("/tmp/rp/smoke.pdf", "wb") as f:
        f.write(response.data)
    pages, text = pdf_text(response.data)
    print(pages, text[:3000])

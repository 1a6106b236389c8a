"""Portfolio files to import, and the standard cast with a clock fixed on the import day
(the web tests' seed day and clock, reused)."""

import csv
import io

import pytest
from flask import Flask
from openpyxl import Workbook

from certtrack.services.portfolio_import import COLUMNS
from tests.builders import Cast, make_cast
from tests.web import conftest as web

# The import day and its clock are the web tests' seed day and clock.
TODAY = web.TODAY
frozen = web.frozen
HEADERS_EN = [names["en"] for names in COLUMNS.values()]
HEADERS_IT = [names["it"] for names in COLUMNS.values()]
# A cluster with two managers and a label in force, another with a lapsed label, and
# the agency's own DITENAVE with a new sector.
GOOD = [
    ["Cluster Legno", "it", "FVG", "Furniture", "https://legno.example", "Giulia Rossi",
     "giulia@legno.example", "Silver", "IT-S-001", "2025-01", "10/01/2027", "valid"],
    ["Cluster Legno", "", "", "", "", "Marco Bianchi", "marco@legno.example",
     "", "", "", "", ""],
    ["Cluster Mare", "IT", "", "", "", "Sara Blu", "sara@mare.example",
     "Bronzo", "IT-B-002", "03/2024", "2026-03-31", "scaduto"],
    ["DITENAVE", "IT", "Friuli Venezia Giulia", "Naval", "https://example.org/cluster", "",
     "", "", "", "", "", ""],
]  # fmt: skip


def csv_bytes(rows: list[list[str]], headers: list[str] = HEADERS_EN, sep: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows: list[list[object]], headers: list[str] = HEADERS_IT) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def cast(ctx: Flask, frozen: None) -> Cast:
    return make_cast()

# ruff: noqa: E501  (the plan of labels reads best one cluster per line)
"""The public register: exactly the live labels (valid, and lapsed within the grace
year, marked so), its filters, sort and bounded paging, and the CSV and JSON downloads
with the same filters. Nothing private leaves: no people, no emails, no internal ids."""

import csv
import io
import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Agency, Cluster, Label, LabelStatus, Level, Role, User
from certtrack.services.register import FIELDS, MAX_PAGE, MAX_PAGE_SIZE
from certtrack.statements import recorded
from tests.builders import PASSWORD, add_agency, add_cluster, add_label, add_user
from tests.web.conftest import sign_in

ROW = re.compile(r'data-register-row="([^"]+)"')
FORMULA_NAME = "=HYPERLINK(1)"


@pytest.fixture(autouse=True)
def frozen():
    """A fixed day (the lapsed label is within its grace year) and a clock that does not
    move between the counted requests."""
    with time_machine.travel(
        datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Europe/Rome")), tick=False
    ):
        yield


def make_labels(copies: int, start: int = 0) -> dict[str, set[str]]:
    """`copies` sets of clusters with a label in every status, each cluster with a
    manager; returns the numbers by status ("live": what the register lists)."""
    agencies = {a.short_name: a for a in db.session.scalars(select(Agency))}
    inf = agencies.get("INF") or add_agency("Informest", "INF")
    czi = agencies.get("CZI") or add_agency("CzechInvest", "CZI")
    numbers: dict[str, set[str]] = {"live": set(), "gone": set()}
    plan = [
        ("Alpha Naval", inf, "IT", "Maritime", Level.GOLD, LabelStatus.VALID, date(2027, 3, 31)),
        ("Beta Bio", inf, "IT", "Life sciences", Level.BRONZE, LabelStatus.LAPSED, date(2026, 6, 30)),
        ("Gamma Auto", czi, "CZ", "Automotive", Level.SILVER, LabelStatus.VALID, date(2028, 1, 31)),
        ("Delta Old", inf, "IT", "Maritime", Level.BRONZE, LabelStatus.EXPIRED, date(2024, 5, 31)),
        ("Epsilon Gone", czi, "CZ", "Automotive", Level.SILVER, LabelStatus.REVOKED, date(2027, 9, 30)),
        ("Zeta Prev", inf, "IT", "Maritime", Level.BRONZE, LabelStatus.SUPERSEDED, date(2026, 2, 28)),
    ]  # fmt: skip
    for i in range(start, start + copies):
        for name, agency, country, sector, level, status, until in plan:
            cluster = add_cluster(agency, f"{name} {i:03d}", country=country, sector=sector)
            add_user(
                Role.MANAGER, f"private.manager.{cluster.id}@secret.example", cluster_id=cluster.id
            )
            number = f"{level.code}-{country}-{until.year}-{i:03d}{name[0]}"
            add_label(cluster, number, level, status, until)
            numbers["live" if status in (LabelStatus.VALID, LabelStatus.LAPSED) else "gone"].add(
                number
            )
        zeta = db.session.scalar(select(Cluster).where(Cluster.name == f"Zeta Prev {i:03d}"))
        newer = add_label(
            zeta, f"S-IT-2027-{i:03d}Z", Level.SILVER, LabelStatus.VALID, date(2027, 12, 31)
        )
        numbers["live"].add(newer.number)
    return numbers


@pytest.fixture
def labels(ctx) -> dict[str, set[str]]:
    numbers = make_labels(1)
    formula = add_cluster(
        db.session.scalar(select(Agency).filter_by(short_name="INF")),
        FORMULA_NAME,
        country="IT",
        sector="@risk",
    )
    add_label(formula, "B-IT-2027-999F", Level.BRONZE, LabelStatus.VALID, date(2027, 1, 31))
    numbers["live"].add("B-IT-2027-999F")
    return numbers


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"/register?per_page={MAX_PAGE_SIZE}&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return ROW.findall(response.get_data(as_text=True))


def number_of(name: str) -> str:
    cluster = db.session.scalar(select(Cluster).where(Cluster.name == name))
    live = [lb for lb in cluster.labels if lb.status in (LabelStatus.VALID, LabelStatus.LAPSED)]
    return live[0].number


def test_register_lists_exactly_the_live_and_lapsed_labels(client, labels):
    assert set(listed(client)) == labels["live"]
    assert not set(listed(client)) & labels["gone"]


def test_a_lapsed_label_says_so_and_every_row_links_to_its_verification_page(client, labels):
    text = client.get("/register?q=beta").get_data(as_text=True)
    row = text.split(f'data-register-row="{number_of("Beta Bio 000")}"')[1].split("</tr>")[0]
    assert "Lapsed" in row and "grace year" in row
    assert f'href="/labels/{number_of("Beta Bio 000")}"' in row
    assert "30 Jun 2026" in row or "Jun 30, 2026" in row  # the locale's date
    alpha = client.get("/register?q=alpha").get_data(as_text=True)
    assert "Lapsed" not in alpha.split("<tbody>")[1]


def test_expired_revoked_and_superseded_labels_stay_verifiable(client, labels):
    for number in labels["gone"]:
        assert client.get(f"/labels/{number}").status_code == 200


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("country=CZ", ["Gamma Auto 000"]),
        ("country=it&sector=maritime", ["Alpha Naval 000", "Zeta Prev 000"]),
        ("sector=Life+sciences", ["Beta Bio 000"]),
        ("level=gold", ["Alpha Naval 000"]),
        ("agency=CZI", ["Gamma Auto 000"]),
        ("q=NAVAL", ["Alpha Naval 000"]),
        ("q=%25", []),  # a LIKE wildcard is searched for literally
        ("q=&country=&level=&agency=&sector=&sort=", None),  # an empty GET form: everything
    ],
)
def test_each_filter(client, labels, query, names):
    expected = labels["live"] if names is None else {number_of(n) for n in names}
    assert set(listed(client, query)) == expected


def test_sort_by_cluster_name_and_by_validity(client, labels):
    by_name = listed(client, "sort=cluster")
    names = [db.session.scalar(select(Label).filter_by(number=n)).cluster.name for n in by_name]
    assert names == sorted(names, key=str.lower)
    assert listed(client, "sort=-cluster") == by_name[::-1]
    by_date = [
        db.session.scalar(select(Label).filter_by(number=n)).valid_until
        for n in listed(client, "sort=valid_until")
    ]
    assert by_date == sorted(by_date)
    assert by_date[0] == date(2026, 6, 30)  # the lapsed one ended first


def test_pages_split_the_register_without_overlap(client, labels):
    seen = []
    for page in (1, 2, 3):
        text = client.get(f"/register?per_page=2&page={page}").get_data(as_text=True)
        rows = ROW.findall(text)
        assert len(rows) <= 2
        seen += rows
    assert sorted(seen) == sorted(labels["live"])  # 5 live labels on three pages
    assert ROW.findall(client.get("/register?per_page=2&page=4").get_data(as_text=True)) == []


@pytest.mark.parametrize(
    "query",
    [
        f"per_page={MAX_PAGE_SIZE + 1}",
        f"page={MAX_PAGE + 1}",
        "page=0",
        "level=platinum",
        "sort=id",
        "country=ITALY",
        "q=" + "x" * 201,
    ],
)
def test_bad_register_arguments_are_refused_clearly(client, labels, query):
    page = client.get(f"/register?{query}")
    assert page.status_code == 422
    download = client.get(f"/register.json?{query}")
    assert download.status_code == 422
    error = download.get_json()["error"]
    assert error["code"] == "invalid_params" and error["fields"]


def count(engine, client, url: str) -> tuple[int, int]:
    with recorded(engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements), len(ROW.findall(response.get_data(as_text=True)))


REGISTER_URLS = [
    "/register",
    "/register?per_page=3",
    "/register?country=IT&sort=-valid_until&per_page=2&page=2",
    "/register?q=a&level=bronze",
]


@pytest.mark.parametrize("signed_in", [False, True])
def test_register_statements_and_rows_do_not_grow_with_ten_times_the_data(app, client, signed_in):
    # Each request in its own app context (its own session), as in production.
    with app.app_context():
        make_labels(1)
        add_user(Role.ADMIN, "admin@x.example")
        engine = db.engine
    if signed_in:
        sign_in(client, "admin@x.example", PASSWORD)
    small = {url: count(engine, client, url) for url in REGISTER_URLS}
    with app.app_context():
        make_labels(9, start=1)
    large = {url: count(engine, client, url) for url in REGISTER_URLS}
    assert {u: s for u, (s, _r) in small.items()} == {u: s for u, (s, _r) in large.items()}
    assert large["/register?per_page=3"][1] == 3
    assert large["/register"][1] == 25  # the default page size, whatever the total
    assert max(s for s, _r in large.values()) <= 12, large


def csv_rows(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_download_has_every_live_label_with_the_filters(client, labels):
    response = client.get("/register.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert list(rows[0]) == list(FIELDS)
    assert {row["number"] for row in rows} == labels["live"]
    lapsed = next(row for row in rows if row["cluster"] == "Beta Bio 000")
    assert lapsed["status"] == "lapsed" and lapsed["valid_until"] == "2026-06-30"
    only_cz = csv_rows(client.get("/register.csv?country=CZ&q=gamma"))
    assert [row["cluster"] for row in only_cz] == ["Gamma Auto 000"]
    assert csv_rows(client.get("/register.csv?level=gold&country=CZ")) == []


def test_csv_download_defuses_formulas(client, labels):
    rows = csv_rows(client.get("/register.csv?q=hyperlink"))
    assert rows[0]["cluster"] == "'" + FORMULA_NAME
    assert rows[0]["sector"] == "'@risk"


def test_json_download_documents_its_fields_and_echoes_the_filters(client, labels):
    response = client.get("/register.json?level=silver&country=cz&sort=-valid_until")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = json.loads(response.get_data(as_text=True))
    assert body["fields"] == list(FIELDS)
    assert body["filters"] == {
        "country": "CZ",
        "sector": None,
        "level": "silver",
        "agency": None,
        "q": None,
        "sort": "-valid_until",
    }
    assert [item["cluster"] for item in body["items"]] == ["Gamma Auto 000"]
    assert set(body["items"][0]) == set(FIELDS)
    everything = client.get("/register.json").get_json()
    assert {item["number"] for item in everything["items"]} == labels["live"]
    assert client.get("/register.json?q=nothing-like-this").get_json()["items"] == []


def test_no_private_data_in_the_register_or_its_downloads(client, labels):
    emails = set(db.session.scalars(select(User.email)))
    names = set(db.session.scalars(select(User.name)))
    assert emails and names
    for url in ("/register?per_page=100", "/register.csv", "/register.json"):
        text = client.get(url).get_data(as_text=True)
        for private in emails | names | {"secret.example"}:
            assert private not in text, (url, private)
    for item in client.get("/register.json").get_json()["items"]:
        assert "id" not in item and "cluster_id" not in item


@pytest.mark.parametrize("email", [None, "admin@x.example"])
def test_home_page_and_navigation_link_the_register(client, ctx, email):
    if email:
        add_user(Role.ADMIN, email)
        sign_in(client, email, PASSWORD)
    for url in ("/", "/register"):
        text = client.get(url).get_data(as_text=True)
        assert 'href="/register"' in text


@pytest.mark.parametrize("url", ["/register.csv", "/register.json"])
def test_a_download_abandoned_midway_closes_cleanly(client, labels, url):
    response = client.get(url, buffered=False)
    assert response.status_code == 200
    assert next(iter(response.response))  # the first chunk, then the client goes away
    response.close()
    assert client.get(url).status_code == 200


def test_the_page_links_the_downloads_with_its_filters(client, labels):
    text = client.get("/register?country=CZ&per_page=3").get_data(as_text=True)
    link = re.search(r'href="(/register\.csv\?[^"]+)"', text).group(1).replace("&amp;", "&")
    assert "country=CZ" in link and "per_page" not in link
    assert [row["cluster"] for row in csv_rows(client.get(link))] == ["Gamma Auto 000"]
    assert 'href="/register.json?country=CZ' in text

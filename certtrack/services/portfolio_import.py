"""Importing an agency's portfolio: its clusters with their profile and managers, and the
labels they already hold, from a CSV or XLSX file.

One row is one cluster, with at most one manager and one label; a cluster with several
managers or labels takes several rows (their profile cells blank or the same). The file
is read and checked as a whole into a `Plan`: every row's outcome (create, update,
unchanged, refused with the reason per cell). Nothing is written until the plan is
committed, all rows in one transaction, and only if no row is refused. Clusters match
by name within the agency, managers by email, labels by number, so importing the same
file twice changes nothing.

An imported label joins the path in the state its dates give on the import day (in
follow-up, renewal due, lapsed or expired), with a history entry saying it was
imported; the application's `imported_on` keeps the daily pass from sending reminders
whose day came before the import. A cluster's labels form one chain in date order, as
renewals and upgrades build it: each application's `previous` is the one before, and
each label but the newest is superseded by the next (a revoked one stays revoked), also
when a later file adds a newer label to a cluster imported before. A manager account
the import creates gets the invitation a coordinator's would send, queued in the same
transaction."""

import csv
import io
import re
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update

from certtrack import vocabulary
from certtrack.extensions import db
from certtrack.i18n import LOCALES, country_locale
from certtrack.models import (
    CLOSED_STATES,
    Agency,
    Application,
    AuditEntry,
    Cluster,
    Label,
    LabelStatus,
    Level,
    PortfolioUpload,
    Role,
    State,
    User,
)
from certtrack.models.base import utcnow
from certtrack.services.clusters import PROFILE_TEXT, URL
from certtrack.services.file_types import OOXML, detect
from certtrack.services.invitations import invite_all
from certtrack.services.labels import REASON_LIMIT
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow import permissions
from certtrack.workflow.dates import grace_cutoff, month_start
from certtrack.workflow.engine import bump_version
from certtrack.workflow.errors import (
    InvalidParams,
    NotFound,
    PayloadTooLarge,
)
from certtrack.workflow.policy import Policy, load_policy

IMPORT_EVENT = "portfolio_import"
XLSX = OOXML["xl/"]
TEXT_TYPES = frozenset({"text/csv", "text/plain"})
# A lookup's IN list at most this long (SQLite's bound-parameter limit is far above).
CHUNK = 5000
UPLOAD_HOURS = 24

# The template's columns: key -> header in English and Italian. The parser takes either.
COLUMNS: dict[str, dict[str, str]] = {
    "cluster": {"en": "Cluster name", "it": "Nome del cluster"},
    "country": {"en": "Country", "it": "Paese"},
    "region": {"en": "Region", "it": "Regione"},
    "sector": {"en": "Sector", "it": "Settore"},
    "website": {"en": "Website", "it": "Sito web"},
    "manager_name": {"en": "Manager name", "it": "Nome del referente"},
    "manager_email": {"en": "Manager email", "it": "Email del referente"},
    "level": {"en": "Level", "it": "Livello"},
    "number": {"en": "Label number", "it": "Numero del label"},
    "interview_month": {"en": "Interview month", "it": "Mese dell'intervista"},
    "valid_until": {"en": "Valid until", "it": "Valido fino al"},
    "status": {"en": "Status", "it": "Stato"},
    # Last, and optional: files laid out before them still read.
    "manager_language": {"en": "Manager language", "it": "Lingua del referente"},
    "revocation_reason": {"en": "Revocation reason", "it": "Motivo della revoca"},
}
OPTIONAL = frozenset({"manager_language", "revocation_reason"})
PROFILE = ("country", "region", "sector", "website")
LABEL_COLUMNS = ("level", "number", "interview_month", "valid_until", "status")
HEADERS = {header.casefold(): key for key, names in COLUMNS.items() for header in names.values()}
LEVELS = {
    "bronze": Level.BRONZE,
    "bronzo": Level.BRONZE,
    "silver": Level.SILVER,
    "argento": Level.SILVER,
    "gold": Level.GOLD,
    "oro": Level.GOLD,
}
STATUSES = {
    "valid": LabelStatus.VALID,
    "valido": LabelStatus.VALID,
    "lapsed": LabelStatus.LAPSED,
    "scaduto": LabelStatus.LAPSED,
    "expired": LabelStatus.EXPIRED,
    "decaduto": LabelStatus.EXPIRED,
    "revoked": LabelStatus.REVOKED,
    "revocato": LabelStatus.REVOKED,
    "superseded": LabelStatus.SUPERSEDED,
    "sostituito": LabelStatus.SUPERSEDED,
}
LANGUAGES = {
    **{code: code for code in LOCALES},
    **{name.casefold(): code for code, name in LOCALES.items()},
    "english": "en",
    "inglese": "en",
    "italian": "it",
}
DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
MONTH_FIRST = re.compile(r"(\d{1,2})/(\d{4})")
ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")

Cell = str | date | None


def _order(label: Label | dict[str, Any]) -> tuple[date, date, str]:
    """Where a label stands in its cluster's chain: by interview month, then end."""
    if isinstance(label, Label):
        return label.interview_month, label.valid_until, label.number
    return label["interview_month"], label["valid_until"], label["number"]


@dataclass
class RowOutcome:
    """What importing one row does: `outcome` is create, update, unchanged or refused;
    `problems` maps a column key to why it is refused; `changes` names what is written."""

    line: int
    cluster: str
    outcome: str = "unchanged"
    problems: dict[str, str] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """A checked file: each row's outcome and what committing would write."""

    agency: Agency
    file_name: str
    rows: list[RowOutcome]
    today: date
    new_clusters: dict[str, dict[str, Any]] = field(default_factory=dict)
    cluster_updates: list[tuple[Cluster, dict[str, Any]]] = field(default_factory=list)
    # (cluster key, email, name, language)
    new_managers: list[tuple[str, str, str, str]] = field(default_factory=list)
    manager_renames: list[tuple[User, str]] = field(default_factory=list)
    # By cluster, in date order: a label's "previous" indexes the one before it here.
    new_labels: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Recorded labels a new one follows: (label, number of the new one, its level).
    followed: list[tuple[Label, str, Level]] = field(default_factory=list)

    @property
    def refused(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.outcome == "refused"]

    def counts(self) -> dict[str, int]:
        """How many rows have each outcome."""
        counts = dict.fromkeys(("create", "update", "unchanged", "refused"), 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    def problem_fields(self) -> dict[str, str]:
        """The refusals as an error's fields: "row 3, Level" -> the reason."""
        return {
            _("row %(n)s, %(column)s", n=row.line, column=column_name(key)): problem
            for row in self.refused
            for key, problem in row.problems.items()
        }


def column_name(key: str) -> str:
    """A column's header in the reader's language (the file itself may use either)."""
    language = "it" if str(get_locale() or "en").startswith("it") else "en"
    if key == "file":
        return _("file")
    return COLUMNS[key][language]


def import_refusal(actor: User, agency: Agency | None) -> None:
    """Raise unless `actor` may import into `agency` (None: into some agency);
    permissions decides."""
    refused = permissions.import_refusal(actor, agency)
    if refused:
        raise refused


# --- reading the file ---------------------------------------------------------------


def max_bytes() -> int:
    """The largest file an import takes (IMPORT_MAX_BYTES)."""
    return int(current_app.config["IMPORT_MAX_BYTES"])


def read_rows(content: bytes, file_name: str) -> list[tuple[int, dict[str, Cell]]]:
    """The file's data rows as (line, column key -> cell), blank rows left out. Refuses
    an empty, oversized, unreadable or wrongly laid out file as a whole."""
    limit = max_bytes()
    if not content:
        raise InvalidParams(_("The file is empty."), {"file": _("The file is empty.")})
    if len(content) > limit:
        message = _("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024))
        raise PayloadTooLarge(message, {"file": message})
    kind = detect(io.BytesIO(content), file_name)
    if kind == XLSX:
        table: Iterator[tuple[int, list[Cell]]] = _xlsx_rows(content)
    elif kind in TEXT_TYPES:
        table = _csv_rows(content)
    else:
        # A field with a wrong value (422), as for any other part of the request.
        message = _("Upload a CSV or an Excel (XLSX) file.")
        raise InvalidParams(message, {"file": message})
    return _keyed(table)


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    text = content.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    # Spreadsheets saved in Italian separate with semicolons.
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, list(cells)
    except csv.Error as error:
        message = _("The CSV file cannot be read: %(error)s.", error=str(error))
        raise InvalidParams(message, {"file": message}) from None


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_xlsx_cell(value) for value in values]
        book.close()
    except Exception:  # openpyxl raises its own, zipfile's and the XML parser's errors
        message = _("The Excel file cannot be read.")
        raise InvalidParams(message, {"file": message}) from None


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _keyed(table: Iterator[tuple[int, list[Cell]]]) -> list[tuple[int, dict[str, Cell]]]:
    limit = current_app.config["IMPORT_MAX_ROWS"]
    header: list[str | None] | None = None
    rows: list[tuple[int, dict[str, Cell]]] = []
    for line, cells in table:
        if all(_blank(cell) for cell in cells):
            continue
        if header is None:
            header = _header(cells)
            continue
        if len(rows) >= limit:
            message = _("The file has more than %(n)s rows.", n=limit)
            raise PayloadTooLarge(message, {"file": message})
        rows.append((line, {key: cell for key, cell in zip(header, cells, strict=False) if key}))
    if header is None:
        raise InvalidParams(_("The file is empty."), {"file": _("The file is empty.")})
    if not rows:
        message = _("The file has its headers but no rows.")
        raise InvalidParams(message, {"file": message})
    return rows


def _header(cells: Sequence[Cell]) -> list[str | None]:
    keys: list[str | None] = []
    unknown, repeated = [], []
    for cell in cells:
        text = cell.strip() if isinstance(cell, str) else ""
        key = HEADERS.get(text.casefold())
        if text and key is None:
            unknown.append(text)
        elif key in keys:
            repeated.append(text)
        keys.append(key)
    missing = [column_name(key) for key in COLUMNS if key not in keys and key not in OPTIONAL]
    problems = []
    if missing:
        problems.append(_("Missing columns: %(names)s.", names=", ".join(missing)))
    if unknown:
        problems.append(_("Unknown columns: %(names)s.", names=", ".join(unknown)))
    if repeated:
        problems.append(_("Columns given twice: %(names)s.", names=", ".join(repeated)))
    if problems:
        message = " ".join([*problems, _("Use the template's headers, in English or Italian.")])
        raise InvalidParams(message, {"file": message})
    return keys


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- checking the rows --------------------------------------------------------------


def plan(
    agency: Agency,
    content: bytes,
    file_name: str,
    *,
    today: date,
    policy: Policy | None = None,
) -> Plan:
    """Read and check the whole file against what the agency holds now; writes nothing."""
    rows = read_rows(content, file_name)
    return _Checker(agency, today, policy or load_policy()).check(rows, file_name)


class _Checker:
    def __init__(self, agency: Agency, today: date, policy: Policy) -> None:
        self.agency = agency
        self.today = today
        self.policy = policy
        # What earlier rows of the file gave: a cluster's profile, whose each email is,
        # the label numbers, each cluster's new labels (with their rows) to chain.
        self.first_profile: dict[str, dict[str, str | None]] = {}
        self.emails_seen: dict[str, str] = {}
        self.numbers_seen: set[str] = set()
        self.pending: dict[str, list[tuple[RowOutcome, dict[str, Any]]]] = {}

    def check(self, rows: list[tuple[int, dict[str, Cell]]], file_name: str) -> Plan:
        texts = [{k: _text(v) for k, v in cells.items()} for _line, cells in rows]
        self._load(texts)
        result = Plan(agency=self.agency, file_name=file_name, rows=[], today=self.today)
        for (line, cells), text in zip(rows, texts, strict=True):
            outcome = RowOutcome(line=line, cluster=text.get("cluster") or "")
            self._row(result, outcome, cells, text)
            result.rows.append(outcome)
        # A label's status depends on the cluster's other labels, on any row.
        for key, labels in self.pending.items():
            self._chain(result, key, labels)
        for outcome in result.rows:
            if outcome.problems:
                outcome.outcome = "refused"
                outcome.changes = []
        return result

    def _load(self, texts: list[dict[str, str | None]]) -> None:
        """Everything the rows refer to, in a few statements whatever their number."""
        names = {name.lower() for t in texts if (name := t.get("cluster"))}
        emails = {email.lower() for t in texts if (email := t.get("manager_email"))}
        numbers = {number for t in texts if (number := t.get("number"))}
        self.clusters = {
            cluster.name.lower(): cluster
            for cluster in _in_chunks(select(Cluster), func.lower(Cluster.name), names)
        }
        self.users = {
            user.email.lower(): user for user in _in_chunks(select(User), User.email, emails)
        }
        self.labels = {
            label.number: label for label in _in_chunks(select(Label), Label.number, numbers)
        }
        own = [c.id for c in self.clusters.values() if c.agency_id == self.agency.id]
        # An application on its way to a label; one that holds a label is followed.
        self.open_clusters = set(
            _in_chunks(
                select(Application.cluster_id).where(
                    Application.state.not_in(CLOSED_STATES), ~Application.label.has()
                ),
                Application.cluster_id,
                own,
            )
        )
        self.newest: dict[int, Label] = {}
        for label in _in_chunks(select(Label), Label.cluster_id, own):
            newest = self.newest.get(label.cluster_id)
            if newest is None or _order(label) > _order(newest):
                self.newest[label.cluster_id] = label

    def _row(
        self,
        plan: Plan,
        row: RowOutcome,
        cells: dict[str, Cell],
        text: dict[str, str | None],
    ) -> None:
        key = self._cluster(plan, row, text)
        if key is None:
            return
        self._manager(plan, row, key, text)
        self._label(plan, row, key, cells, text)

    # The cluster and its profile.

    def _cluster(self, plan: Plan, row: RowOutcome, text: dict[str, str | None]) -> str | None:
        name = text.get("cluster")
        if not name:
            row.problems["cluster"] = _("This field is required.")
            return None
        if problem := _text_problem(name, PROFILE_TEXT["name"]):
            row.problems["cluster"] = problem
            return None
        key = name.lower()
        profile = self._profile(row, text)
        existing = self.clusters.get(key)
        if existing is not None and existing.agency_id != self.agency.id:
            row.problems["cluster"] = _("Another cluster already has this name.")
            return None
        if key in self.first_profile:
            first = self.first_profile[key]
            for column, value in profile.items():
                if value is not None and value != first[column]:
                    row.problems[column] = _(
                        "Differs from this cluster's first row; leave it blank or repeat it."
                    )
            return key
        if profile["country"] is None:
            row.problems["country"] = _("This field is required.")
        if row.problems:
            return None
        self.first_profile[key] = profile
        if existing is None:
            plan.new_clusters[key] = {"name": name, **profile}
            row.outcome = "create"
            row.changes.append(_("new cluster"))
        else:
            changed = {c: v for c, v in profile.items() if getattr(existing, c) != v}
            if changed:
                plan.cluster_updates.append((existing, changed))
                self._mark(
                    row,
                    "update",
                    _("profile: %(fields)s", fields=", ".join(column_name(c) for c in changed)),
                )
        return key

    def _profile(self, row: RowOutcome, text: dict[str, str | None]) -> dict[str, str | None]:
        profile: dict[str, str | None] = {}
        country = text.get("country")
        if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
            row.problems["country"] = _("Must be a two-letter country code (e.g. IT).")
        profile["country"] = country.upper() if country else None
        for column in ("region", "sector", "website"):
            value = text.get(column)
            if value is not None and (problem := _text_problem(value, PROFILE_TEXT[column])):
                row.problems[column] = problem
            profile[column] = value
        website = profile["website"]
        if website and "website" not in row.problems and not URL.match(website):
            row.problems["website"] = _("Must be a web address starting with http:// or https://.")
        return profile

    # The manager.

    def _manager(self, plan: Plan, row: RowOutcome, key: str, text: dict[str, str | None]) -> None:
        name, raw_email = text.get("manager_name"), text.get("manager_email")
        language_text = text.get("manager_language")
        language = LANGUAGES.get(language_text.casefold()) if language_text else None
        if language_text and language is None:
            row.problems["manager_language"] = _("Must be en (English) or it (Italian).")
        if name is None and raw_email is None:
            if language_text:
                row.problems["manager_language"] = _("Give the manager's name and email too.")
            return
        if raw_email is None:
            row.problems["manager_email"] = _("Give the manager's email with their name.")
            return
        try:
            email = validate_email(raw_email, check_deliverability=False).normalized.lower()
        except EmailNotValidError as error:
            row.problems["manager_email"] = str(error)
            return
        if name is None:
            row.problems["manager_name"] = _("Give the manager's name with their email.")
            return
        if problem := _text_problem(name, 200):
            row.problems["manager_name"] = problem
            return
        if self.emails_seen.get(email, key) != key:
            row.problems["manager_email"] = _("Already given for another cluster in this file.")
            return
        first_time = email not in self.emails_seen
        self.emails_seen[email] = key
        existing = self.users.get(email)
        cluster = self.clusters.get(key)
        if existing is None:
            if first_time:
                chosen = language or country_locale(self.agency.country)
                plan.new_managers.append((key, email, name, chosen))
            self._mark(row, "create", _("new manager"))
        elif existing.role != Role.MANAGER or cluster is None or existing.cluster_id != cluster.id:
            # Whose it is stays private: it may be another agency's.
            row.problems["manager_email"] = _("This email belongs to another account.")
        elif existing.name != name and first_time:
            plan.manager_renames.append((existing, name))
            self._mark(row, "update", _("manager's name"))

    # The label.

    def _label(
        self,
        plan: Plan,
        row: RowOutcome,
        key: str,
        cells: dict[str, Cell],
        text: dict[str, str | None],
    ) -> None:
        if all(text.get(column) is None for column in LABEL_COLUMNS):
            return
        for column in ("level", "number", "interview_month", "valid_until"):
            if text.get(column) is None:
                row.problems[column] = _("This field is required for a label.")
        level = LEVELS.get((text.get("level") or "").casefold())
        if text.get("level") and level is None:
            row.problems["level"] = _("Must be Bronze, Silver or Gold.")
        number = text.get("number")
        if number and (problem := _text_problem(number, 40)):
            row.problems["number"] = problem
        month = _date(cells.get("interview_month"), row, "interview_month", month=True)
        until = _date(cells.get("valid_until"), row, "valid_until")
        if month and until and until < month:
            row.problems["valid_until"] = _("Must not come before the interview month.")
        status_text = text.get("status")
        status = STATUSES.get(status_text.casefold()) if status_text else None
        if status_text and status is None:
            row.problems["status"] = _("Must be valid, lapsed, expired, revoked or superseded.")
        reason = text.get("revocation_reason")
        if reason and status != LabelStatus.REVOKED:
            row.problems["revocation_reason"] = _("Give a reason only for a revoked label.")
        elif reason and (problem := _text_problem(reason, REASON_LIMIT)):
            row.problems["revocation_reason"] = problem
        if row.problems or not (level and number and month and until):
            return
        if number in self.numbers_seen:
            row.problems["number"] = _("Already given on another row of this file.")
            return
        self.numbers_seen.add(number)
        cluster = self.clusters.get(key)
        existing = self.labels.get(number)
        if existing is not None:
            if cluster is None or existing.cluster_id != cluster.id:
                row.problems["number"] = _("This label number belongs to another cluster.")
            elif (existing.level, existing.interview_month, existing.valid_until) != (
                level,
                month,
                until,
            ):
                row.problems["number"] = _(
                    "This label is recorded with another level or other dates; an "
                    "import does not change an issued label."
                )
            elif status == LabelStatus.REVOKED and existing.status != LabelStatus.REVOKED:
                row.problems["status"] = _(
                    "This label is recorded as not revoked; an import does not revoke "
                    "an issued label: revoke it on its page."
                )
            return
        values = {
            "level": level,
            "number": number,
            "interview_month": month,
            "valid_until": until,
            "stated": status,
            "reason": reason,
        }
        self.pending.setdefault(key, []).append((row, values))
        self._mark(row, "create", _("new label"))

    def _chain(self, plan: Plan, key: str, labels: list[tuple[RowOutcome, dict[str, Any]]]) -> None:
        """Give a cluster's new labels their place after its recorded ones: each but the
        newest is superseded by the next, and the statuses given must agree."""
        cluster = self.clusters.get(key)
        recorded = self.newest.get(cluster.id) if cluster is not None else None
        labels.sort(key=lambda pair: _order(pair[1]))
        if recorded is not None:
            for row, label in labels:
                if _order(label) <= _order(recorded):
                    row.problems["interview_month"] = _(
                        "The cluster already holds a newer label, %(number)s; an import "
                        "adds labels after the newest one.",
                        number=recorded.number,
                    )
            labels = [(row, label) for row, label in labels if not row.problems]
            if labels:
                first_row, first = labels[0]
                plan.followed.append((recorded, first["number"], first["level"]))
                first_row.changes.append(_("supersedes %(number)s", number=recorded.number))
        previous: int | None = None
        for position, (row, label) in enumerate(labels):
            newer = labels[position + 1][1] if position + 1 < len(labels) else None
            state, status = self.state_on_import(label["valid_until"])
            if newer is not None:
                state = followed_state(label["level"], newer["level"])
                status = LabelStatus.SUPERSEDED
            if label["stated"] == LabelStatus.REVOKED:
                status = LabelStatus.REVOKED
            if problem := self._status_problem(label, status, newer):
                row.problems["status"] = problem
            elif (
                newer is None
                and state not in CLOSED_STATES
                and (cluster is not None and cluster.id in self.open_clusters)
            ):
                row.problems["number"] = _(
                    "The cluster has an application in progress; this label cannot join it."
                )
            if row.problems:
                continue
            plan.new_labels.append(
                (
                    key,
                    {
                        **label,
                        "state": state,
                        "status": status,
                        "previous": previous,
                        # A revoked label stays revoked, outside the chain of successors.
                        "superseded_by": (
                            newer["number"] if newer and status == LabelStatus.SUPERSEDED else None
                        ),
                    },
                )
            )
            previous = len(plan.new_labels) - 1

    def _status_problem(
        self, label: dict[str, Any], status: LabelStatus, newer: dict[str, Any] | None
    ) -> str | None:
        """Why the status a row gives disagrees with the one the dates and the
        cluster's other labels give, if it does."""
        stated = label["stated"]
        if stated is None or stated == status:
            return None
        if stated == LabelStatus.SUPERSEDED:
            return _("A superseded label needs a newer label of the same cluster in the file.")
        if newer is not None:
            return _(
                "Label %(number)s of this cluster is newer, so this one is superseded.",
                number=newer["number"],
            )
        return _(
            "On %(day)s a label valid until %(until)s is %(status)s.",
            day=self.today.isoformat(),
            until=label["valid_until"].isoformat(),
            status=vocabulary.name(status),
        )

    def state_on_import(self, valid_until: date) -> tuple[State, LabelStatus]:
        """Where a label valid until `valid_until` stands on the import day: the state
        its application takes and the label's status (the time events' rules)."""
        if valid_until >= self.today:
            window = self.today + timedelta(days=self.policy.renewal_window_days)
            state = State.RENEWAL_DUE if valid_until <= window else State.FOLLOW_UP
            return state, LabelStatus.VALID
        if valid_until >= grace_cutoff(self.today, self.policy.grace_months):
            return State.LAPSED, LabelStatus.LAPSED
        return State.EXPIRED, LabelStatus.EXPIRED

    @staticmethod
    def _mark(row: RowOutcome, outcome: str, change: str) -> None:
        if outcome == "create" or row.outcome == "unchanged":
            row.outcome = outcome
        row.changes.append(change)


def followed_state(level: Level, newer: Level) -> State:
    """The state an application's path ends in when a newer label follows its label:
    upgraded for a higher level, renewed otherwise."""
    return State.UPGRADED if newer.rank > level.rank else State.RENEWED


def _text(cell: Cell) -> str | None:
    if cell is None:
        return None
    value = cell.isoformat() if isinstance(cell, date) else cell.strip()
    return value or None


def _text_problem(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return _("At most %(n)s characters.", n=limit)
    return text_problem(value)


def _date(cell: Cell, row: RowOutcome, column: str, *, month: bool = False) -> date | None:
    """A date cell: a spreadsheet date, ISO (2024-03-31) or day/month/year (31/03/2024);
    the interview month also as 2024-03 or 03/2024, and any day of it."""
    if cell is None or isinstance(cell, date):
        return month_start(cell) if (cell and month) else cell
    text = cell.strip()
    if not text:
        return None
    found: date | None = None
    try:
        if match := DAY_FIRST.fullmatch(text):
            found = date(int(match[3]), int(match[2]), int(match[1]))
        elif month and (match := MONTH_FIRST.fullmatch(text)):
            found = date(int(match[2]), int(match[1]), 1)
        elif month and (match := ISO_MONTH.fullmatch(text)):
            found = date(int(match[1]), int(match[2]), 1)
        else:
            found = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        found = None
    if found is None:
        row.problems[column] = (
            _("Not a month: write it as 2024-03, 03/2024 or a date.")
            if month
            else _("Not a date: write it as 2024-03-31 or 31/03/2024.")
        )
        return None
    return month_start(found) if month else found


def _in_chunks(query: Any, column: Any, keys: Iterable[Any]) -> Iterator[Any]:
    """`query` restricted to `column IN keys`, a bounded list at a time."""
    keys = list(keys)
    for start in range(0, len(keys), CHUNK):
        yield from db.session.scalars(query.where(column.in_(keys[start : start + CHUNK])))


# --- writing -------------------------------------------------------------------------


def commit(
    plan: Plan, actor: User | None, *, now: datetime, upload: PortfolioUpload | None = None
) -> Plan:
    """Write every row of a plan without refusals, in one transaction (and drop its
    upload), or nothing: a refused row raises InvalidParams naming each cell. The
    history names `actor` (None: the command line). The new managers' invitations are
    queued in the same transaction, so they go out only with what they invite to."""
    if plan.refused:
        raise InvalidParams(
            _("%(n)s rows are refused; nothing was imported.", n=len(plan.refused)),
            plan.problem_fields(),
        )
    with committed():
        ids = _write_clusters(plan)
        for cluster, changes in plan.cluster_updates:
            for column, value in changes.items():
                setattr(cluster, column, value)
        for user, name in plan.manager_renames:
            user.name = name
        if plan.new_managers:
            _write_managers(plan, ids, actor, now)
        _write_labels(plan, ids, actor, now)
        if upload is not None:
            db.session.delete(upload)
    return plan


def _write_clusters(plan: Plan) -> dict[str, int]:
    ids = {key: c.id for key, c in plan_clusters(plan).items()}
    if plan.new_clusters:
        rows = [
            {**values, "agency_id": plan.agency.id, "member_types": []}
            for values in plan.new_clusters.values()
        ]
        # Matched back by name (unique): batched, where keeping the order would not be.
        inserted = db.session.execute(insert(Cluster).returning(Cluster.id, Cluster.name), rows)
        ids.update({name.lower(): cluster_id for cluster_id, name in inserted})
    return ids


def _write_managers(plan: Plan, ids: dict[str, int], actor: User | None, now: datetime) -> None:
    inserted = db.session.execute(
        insert(User).returning(User.id),
        [
            {
                "email": email,
                "name": name,
                "role": Role.MANAGER,
                "cluster_id": ids[key],
                "locale": locale,
                "languages": [],
            }
            for key, email, name, locale in plan.new_managers
        ],
    )
    managers = _in_chunks(select(User), User.id, inserted.scalars().all())
    invite_all(managers, actor.name if actor else plan.agency.name, now)


def plan_clusters(plan: Plan) -> dict[str, Cluster]:
    """The agency's existing clusters the plan refers to, by key."""
    found = [c for c, _changes in plan.cluster_updates]
    keys = {new[0] for new in plan.new_managers} | {new[0] for new in plan.new_labels}
    keys -= set(plan.new_clusters)
    if keys:
        found += list(_in_chunks(select(Cluster), func.lower(Cluster.name), keys))
    return {c.name.lower(): c for c in found}


def _insert_applications(plan: Plan, ids: dict[str, int], now: datetime) -> list[int]:
    """One application per new label, their ids in the labels' order, each following
    the one before it in its cluster's chain. Inserted in rounds of at most one per
    cluster, oldest first, so each comes back by its cluster's id (a batched insert does
    not keep the order) and its predecessor's id is known; a cluster rarely brings more
    than two labels."""
    found: list[int | None] = [None] * len(plan.new_labels)
    # The recorded application a cluster's first new label follows: the chain's end.
    after = {}
    for label, _number, _level in plan.followed:
        application = label.application
        while application.next is not None:
            application = application.next
        after[label.cluster_id] = application.id
    pending = list(range(len(plan.new_labels)))
    while pending:
        taken: dict[int, int] = {}
        later = []
        for index in pending:
            cluster_id = ids[plan.new_labels[index][0]]
            if cluster_id in taken:
                later.append(index)
            else:
                taken[cluster_id] = index
        rows = [
            {
                "cluster_id": cluster_id,
                "level": plan.new_labels[index][1]["level"],
                "state": plan.new_labels[index][1]["state"],
                "previous_id": (
                    after.get(cluster_id)
                    if plan.new_labels[index][1]["previous"] is None
                    else found[plan.new_labels[index][1]["previous"]]
                ),
                "version": 1,
                "documents_bytes": 0,
                "imported_on": plan.today,
                "created_at": now,
            }
            for cluster_id, index in taken.items()
        ]
        inserted = db.session.execute(
            insert(Application).returning(Application.id, Application.cluster_id), rows
        )
        for application_id, cluster_id in inserted:
            found[taken[cluster_id]] = application_id
        pending = later
    return [application_id for application_id in found if application_id is not None]


def _write_labels(plan: Plan, ids: dict[str, int], actor: User | None, now: datetime) -> None:
    if not plan.new_labels:
        return
    _close_followed(plan, actor, now)
    application_ids = _insert_applications(plan, ids, now)
    default_reason = _("Revoked before import")
    inserted = db.session.execute(
        insert(Label).returning(Label.id, Label.number),
        [
            {
                "cluster_id": ids[key],
                "application_id": application_id,
                "level": label["level"],
                "number": label["number"],
                "interview_month": label["interview_month"],
                # Not in an agency's records; the interview month is the closest we know.
                "issued_on": label["interview_month"],
                "valid_until": label["valid_until"],
                "status": label["status"],
                # When it was revoked is not in an agency's records either.
                "revocation_reason": (
                    label["reason"] or default_reason
                    if label["status"] == LabelStatus.REVOKED
                    else None
                ),
            }
            for (key, label), application_id in zip(plan.new_labels, application_ids, strict=True)
        ],
    )
    label_ids = {number: label_id for label_id, number in inserted}
    successors = [
        {"id": label_ids[label["number"]], "superseded_by_id": label_ids[label["superseded_by"]]}
        for _key, label in plan.new_labels
        if label["superseded_by"]
    ]
    if successors:
        db.session.execute(update(Label), successors)
    for label, number, _level in plan.followed:
        # A revoked label stays revoked; a live or expired one is superseded.
        if label.status in (LabelStatus.VALID, LabelStatus.LAPSED, LabelStatus.EXPIRED):
            label.status = LabelStatus.SUPERSEDED
            label.superseded_by_id = label_ids[number]
    db.session.execute(
        insert(AuditEntry),
        [
            {
                "application_id": application_id,
                "event": IMPORT_EVENT,
                "from_state": None,
                "to_state": label["state"],
                "actor_id": actor.id if actor else None,
                "at": now,
                "comment": None,
                "data": {"file": plan.file_name, "label": label["number"]},
            }
            for (_key, label), application_id in zip(plan.new_labels, application_ids, strict=True)
        ],
    )


def _close_followed(plan: Plan, actor: User | None, now: datetime) -> None:
    """The path of a recorded label that a new one follows ends as a renewal's or an
    upgrade's would; first, as a cluster has one open application at a time."""
    for label, number, level in plan.followed:
        application = label.application
        if application.state in CLOSED_STATES:
            continue
        before, application.state = application.state, followed_state(label.level, level)
        bump_version(application)  # a concurrent step fails instead of being lost
        db.session.add(
            AuditEntry(
                application_id=application.id,
                event=IMPORT_EVENT,
                from_state=before,
                to_state=application.state,
                actor_id=actor.id if actor else None,
                at=now,
                comment=None,
                data={"file": plan.file_name, "label": number},
            )
        )
    db.session.flush()


# --- uploads kept between preview and confirmation -----------------------------------


def keep_upload(actor: User, agency: Agency, content: bytes, file_name: str) -> PortfolioUpload:
    """Keep a checked file for its confirmation under a new token; uploads older than a
    day are dropped on the way."""
    import_refusal(actor, agency)
    with committed():
        db.session.execute(
            delete(PortfolioUpload).where(
                PortfolioUpload.created_at < utcnow() - timedelta(hours=UPLOAD_HOURS)
            )
        )
        upload = PortfolioUpload(
            token=secrets.token_urlsafe(32),
            user_id=actor.id,
            agency_id=agency.id,
            file_name=file_name[:255],
            content=content,
        )
        db.session.add(upload)
    return upload


def get_upload(actor: User, token: str) -> PortfolioUpload:
    """The actor's own upload under this token (another's, or an old one: not found)."""
    upload = db.session.get(PortfolioUpload, token[:64])
    fresh = upload is not None and upload.created_at >= utcnow() - timedelta(hours=UPLOAD_HOURS)
    if upload is None or upload.user_id != actor.id or not fresh:
        raise NotFound(_("This preview is gone: it was imported already or is too old."))
    agency = db.session.get(Agency, upload.agency_id)
    assert agency is not None  # the foreign key cascades
    import_refusal(actor, agency)
    return upload


def agency_of(upload: PortfolioUpload) -> Agency:
    """The agency an upload imports into."""
    agency = db.session.get(Agency, upload.agency_id)
    assert agency is not None  # the foreign key cascades
    return agency


# --- the template ------------------------------------------------------------------


EXAMPLE = {
    "cluster": "Cluster Legno Arredo",
    "country": "IT",
    "region": "Friuli Venezia Giulia",
    "sector": "Furniture",
    "website": "https://cluster-legno.example",
    "manager_name": "Giulia Rossi",
    "manager_email": "giulia.rossi@cluster-legno.example",
    "level": "Bronze",
    "number": "IT-B-2025-001",
    "interview_month": "2025-03",
    "valid_until": "2027-03-31",
    "status": "",
    "manager_language": "it",
    "revocation_reason": "",
}


def template(language: str, kind: str) -> bytes:
    """The template in `language` (en, it) as CSV or XLSX: the headers and one example."""
    headers = [COLUMNS[key][language] for key in COLUMNS]
    example = [EXAMPLE[key] for key in COLUMNS]
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerow(example)
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    sheet.append(example)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

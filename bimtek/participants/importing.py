"""Importing participants from a spreadsheet: check every row, show the result, then import.

The rules of the import live here, in the participants domain; the pages, the API and the
CLI command that call them stay with the other spreadsheets (``bimtek.reports``).

The flow is preview → confirm. ``preview_import`` reads the file and checks each row with the
same rules as self-registration (``clean_registration``), plus duplicates within the file and
against the event, and writes nothing. ``import_participants`` registers the valid rows
through ``participants.registration.register`` — capacity and waitlist as for anyone else — all
in the caller's one transaction: if any row fails, the caller rolls back and nothing is kept.

Between preview and confirm the upload waits in the database (``ImportUpload``), named by an
unguessable token, so any worker process or app server can pick it up.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePath

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.audit.models import AuditLog
from bimtek.audit.services import record
from bimtek.core.inputs import forbidden_field_message, has_forbidden_text
from bimtek.core.sheet_rows import RowProblem
from bimtek.core.timeutil import utcnow
from bimtek.core.xlsx_reader import XlsxLimits
from bimtek.errors import Conflict, InvalidInput, NotFound, ServiceError
from bimtek.events.access import load_in_event
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants import classes, queries, registration
from bimtek.participants.labels import STATUS_LABELS
from bimtek.participants.models import GENDERS, INSTITUTION_CATEGORIES, Participant
from bimtek.participants.sheet import COLUMN_BY_FIELD, COLUMNS, SheetData, read_participant_sheet
from bimtek.participants.uploads import ImportUpload
from bimtek.participants.validation import clean_registration

#: uploads waiting for confirmation are kept this long
UPLOAD_TTL_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class ImportFailed(Conflict):
    """A row was refused while importing (e.g. its NIK registered since the preview)."""

    code = "import_failed"


@dataclass
class RowReport:
    """One data row of the file: what was read, what would be stored, what is wrong."""

    number: int
    #: the values as read from the file (what ``register`` receives)
    raw: dict[str, str]
    #: the values as they will be stored (normalised), for the rows without problems
    clean: dict
    problems: list[RowProblem] = field(default_factory=list)
    #: for a valid row: "registered" or "waitlisted", as the import would place it now
    outcome: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportReport:
    """The checked file: every row, and what an import would do with the seats left."""

    sheet: SheetData
    rows: list[RowReport]
    seats_left: int

    @property
    def valid(self) -> list[RowReport]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid(self) -> list[RowReport]:
        return [row for row in self.rows if not row.ok]

    @property
    def will_register(self) -> int:
        return min(len(self.valid), self.seats_left)

    @property
    def will_waitlist(self) -> int:
        return len(self.valid) - self.will_register

    def problem_counts(self) -> dict[str, int]:
        """How many rows have a problem in each column, for the summary line."""
        counts: dict[str, int] = {}
        for row in self.invalid:
            for problem in {p.field for p in row.problems}:
                counts[problem] = counts.get(problem, 0) + 1
        return counts


def preview_import(event: Event, data: bytes, *, today: date | None = None) -> ImportReport:
    """Read and check a participant list for an event. Writes nothing.

    Raises ``FileProblem`` (an InvalidInput) when the file as a whole cannot be used.
    """
    sheet = read_participant_sheet(data)
    return check_rows(event, sheet, today=today)


def check_rows(event: Event, sheet: SheetData, *, today: date | None = None) -> ImportReport:
    """Check each row like a registration, plus duplicate NIKs in the file and the event."""
    today = today or utcnow().date()
    taken = dict(
        db.session.execute(
            sa.select(Participant.nik, Participant.status).where(Participant.event_id == event.id)
        ).all()
    )
    first_row_of_nik: dict[str, int] = {}
    reports = []
    for raw_row in sheet.rows:
        values, errors = clean_registration(raw_row.values, today=today)
        values.pop("password", None)
        _check_class(event, raw_row.values.get("class_name", ""), values, errors)
        for problem in raw_row.problems:
            errors[problem.field] = _(
                "%(column)s %(problem)s",
                column=COLUMN_BY_FIELD[problem.field].label,
                problem=problem.message,
            )
        nik = values.get("nik") if "nik" not in errors else None
        if nik:
            if nik in first_row_of_nik:
                errors["nik"] = _(
                    "NIK sama dengan baris %(row)s di berkas ini.", row=first_row_of_nik[nik]
                )
            else:
                first_row_of_nik[nik] = raw_row.number
                if nik in taken:
                    errors["nik"] = _(
                        "NIK sudah terdaftar pada kegiatan ini (status: %(status)s).",
                        status=STATUS_LABELS.get(taken[nik], taken[nik]),
                    )
        problems = [
            RowProblem(name, sheet.column_label(name), errors[name])
            for name in (c.field for c in COLUMNS)
            if name in errors
        ]
        reports.append(RowReport(raw_row.number, raw_row.values, values, problems))
    seats = queries.seats_left(event)
    left = seats
    sizes = classes.class_sizes(event)
    for row in reports:
        if row.ok:
            row.outcome = "registered" if left > 0 else "waitlisted"
            left -= 1
            if row.outcome == "registered":
                _count_in_class(event, row, sizes, sheet)
    return ImportReport(sheet, reports, seats)


def _check_class(event: Event, raw: str, values: dict, errors: dict) -> None:
    """The row's class by its name (column "Kelas"): empty is no class; a name the event
    has no class for is the row's error."""
    name = " ".join(str(raw or "").split())
    values["class_id"] = None
    if not name:
        return
    if has_forbidden_text(name):
        errors["class_name"] = forbidden_field_message()
        return
    found = classes.find_class(event, name)
    if found is None:
        known = ", ".join(c.name for c in event.classes)
        errors["class_name"] = (
            _(
                "kelas %(name)s tidak ada pada kegiatan ini; kelas yang ada: %(known)s.",
                name=name[:80],
                known=known,
            )
            if known
            else _(
                "kelas %(name)s tidak ada: kegiatan ini belum punya kelas. Buat kelasnya "
                "dulu atau kosongkan kolom Kelas.",
                name=name[:80],
            )
        )
        return
    values["class_id"] = found.id


def _count_in_class(event: Event, row: "RowReport", sizes: dict, sheet: SheetData) -> None:
    """A row that would register takes a place in its class; past the class's capacity it
    becomes the row's error."""
    class_id = row.clean.get("class_id")
    if class_id is None:
        return
    event_class = next(c for c in event.classes if c.id == class_id)
    if event_class.capacity is not None and sizes.get(class_id, 0) >= event_class.capacity:
        row.outcome = None
        row.problems.append(
            RowProblem(
                "class_name",
                sheet.column_label("class_name"),
                _(
                    "%(name)s penuh (kapasitas %(capacity)s).",
                    name=event_class.name,
                    capacity=event_class.capacity,
                ),
            )
        )
        return
    sizes[class_id] = sizes.get(class_id, 0) + 1


@dataclass
class ImportResult:
    """What an import did."""

    registered: int
    waitlisted: int
    skipped: int
    participants: list[Participant]


def import_participants(
    event: Event,
    report: ImportReport,
    *,
    actor=None,
    channel: str = "import",
    filename: str = "",
    now: datetime | None = None,
) -> ImportResult:
    """Register every valid row of a checked report, in order, as one unit of work.

    The rows go through ``register_many``: the rules of self-registration (capacity, then
    the waitlist; one NIK once per event) under one event lock. If any row is refused now —
    someone registered the same NIK since the preview — ImportFailed is raised and the
    caller must roll back: nothing of this import is kept.
    """
    rows = report.valid
    if not rows:
        raise InvalidInput(_("Tidak ada baris yang valid untuk diimpor."))
    now = now or utcnow()
    try:
        outcomes = registration.register_many(
            event, [row.raw for row in rows], now=now, channel=channel, actor=actor
        )
    except ServiceError as error:
        detail = "; ".join(error.fields.values()) if error.fields else error.message
        raise ImportFailed(
            _("%(detail)s Impor dibatalkan, tidak ada peserta yang disimpan.", detail=detail)
        ) from None
    people = [outcome.participant for outcome in outcomes]
    placed = {
        person.id: row.clean["class_id"]
        for person, row in zip(people, rows, strict=True)
        if row.clean.get("class_id") is not None
    }
    try:
        classes.assign_classes(event, placed, how="import", actor=actor, channel=channel)
    except ServiceError as error:
        raise ImportFailed(
            _("%(detail)s Impor dibatalkan, tidak ada peserta yang disimpan.", detail=error.message)
        ) from None
    registered = sum(1 for p in people if p.status == "registered")
    record(
        "participant.import",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={
            "file": filename[:200],
            "rows": len(report.rows),
            "registered": registered,
            "waitlisted": len(people) - registered,
            "skipped": len(report.invalid),
        },
    )
    db.session.flush()
    return ImportResult(registered, len(people) - registered, len(report.invalid), people)


def report_json(report: ImportReport) -> dict:
    """The row-by-row report as JSON (the API's answer)."""
    return {
        "sheet": report.sheet.sheet_title,
        "header_row": report.sheet.header_row,
        "columns": {name: letter for name, (letter, _header) in report.sheet.columns.items()},
        "ignored_columns": report.sheet.ignored_headers,
        "rows": len(report.rows),
        "valid": len(report.valid),
        "invalid": len(report.invalid),
        "seats_left": report.seats_left,
        "will_register": report.will_register,
        "will_waitlist": report.will_waitlist,
        "problems": [
            {"row": row.number, "field": p.field, "column": p.column, "message": p.message}
            for row in report.invalid
            for p in row.problems
        ],
    }


def recent_imports(event: Event, limit: int = 10) -> list:
    """The event's latest imports from the audit log (who, when, file, counts)."""
    return list(
        db.session.scalars(
            sa.select(AuditLog)
            .where(AuditLog.event_id == event.id, AuditLog.action == "participant.import")
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(limit)
        )
    )


def format_report(report: ImportReport) -> list[str]:
    """The row-by-row report as plain text lines (for the CLI)."""
    sheet = report.sheet
    lines = [
        _(
            "Lembar '%(sheet)s', judul kolom di baris %(row)s.",
            sheet=sheet.sheet_title,
            row=sheet.header_row,
        ),
        _(
            "Kolom: %(columns)s",
            columns=", ".join(
                f"{c.label} = {sheet.column_label(c.field)}"
                for c in COLUMNS
                if c.field in sheet.columns
            ),
        ),
    ]
    if sheet.ignored_headers:
        lines.append(_("Kolom diabaikan: %(names)s", names=", ".join(sheet.ignored_headers)))
    if sheet.skipped_examples:
        lines.append(
            _(
                "Baris contoh dilewati: %(rows)s",
                rows=", ".join(map(str, sheet.skipped_examples)),
            )
        )
    row_word, ok_word, wrong_word = _("baris"), _("OK"), _("SALAH")
    for row in report.rows:
        if row.ok:
            status = STATUS_LABELS["waitlisted" if row.outcome == "waitlisted" else "registered"]
            category = INSTITUTION_CATEGORIES[row.clean["institution_category"]]
            lines.append(
                f"{row_word} {row.number:>5}  {ok_word:<6} {row.clean['full_name']} · "
                f"NIK {row.clean['nik']} · "
                f"{category} → {str(status).lower()}"
            )
        else:
            for problem in row.problems:
                lines.append(
                    f"{row_word} {row.number:>5}  {wrong_word:<6} "
                    + _(
                        "kolom %(column)s: %(message)s",
                        column=problem.column,
                        message=problem.message,
                    )
                )
    lines.append(
        _(
            "%(rows)s baris: %(valid)s valid, %(invalid)s bermasalah. Bila diimpor: "
            "%(registered)s terdaftar, %(waitlisted)s daftar tunggu (sisa kursi %(seats)s).",
            rows=len(report.rows),
            valid=len(report.valid),
            invalid=len(report.invalid),
            registered=report.will_register,
            waitlisted=report.will_waitlist,
            seats=report.seats_left,
        )
    )
    return lines


def gender_label(code: str) -> str:
    """L -> Laki-laki, P -> Perempuan."""
    return GENDERS.get(code, code)


# --- the upload between preview and confirm ------------------------------------------------


def import_max_bytes() -> int:
    """The largest participant file accepted (IMPORT_MAX_BYTES)."""
    return XlsxLimits.for_import("IMPORT").max_bytes


def store_upload(
    data: bytes, *, event: Event, user, filename: str, kind: str = "participants"
) -> str:
    """Keep an upload for the import ``kind`` ("participants" or "team") until it is
    confirmed or discarded; return its unguessable token.

    Uploads older than UPLOAD_TTL_SECONDS are deleted on the way. Flushes; caller commits.
    """
    cutoff = utcnow() - timedelta(seconds=UPLOAD_TTL_SECONDS)
    db.session.execute(sa.delete(ImportUpload).where(ImportUpload.created_at < cutoff))
    upload = ImportUpload(
        token=secrets.token_urlsafe(24),
        event_id=event.id,
        user_id=getattr(user, "id", None),
        kind=kind,
        filename=PurePath(filename or "peserta.xlsx").name[:200] or "peserta.xlsx",
        content=data,
    )
    db.session.add(upload)
    db.session.flush()
    return upload.token


def load_upload(token: str, *, event: Event, user, kind: str = "participants") -> ImportUpload:
    """The stored upload; NotFound when unknown, expired, of another event, another user or
    another import ``kind``.

    Whether it belongs to ``event`` is decided by the one loader (``load_in_event``); every
    refusal gets this page's own answer (``unknown_upload``, "upload it again").
    """
    found = upload = None
    if _TOKEN.match(token or ""):
        found = db.session.scalar(sa.select(ImportUpload).where(ImportUpload.token == token))
    if found is not None:
        try:  # the row is in the session already: no second query
            upload = load_in_event(ImportUpload, found.id, event)
        except NotFound:
            pass
    expired = upload is not None and utcnow() - upload.created_at > timedelta(
        seconds=UPLOAD_TTL_SECONDS
    )
    if (
        upload is None
        or expired
        or upload.user_id != getattr(user, "id", None)
        or upload.kind != kind
    ):
        raise NotFound(
            _("Berkas unggahan tidak ditemukan atau sudah kedaluwarsa. Unggah ulang berkasnya."),
            code="unknown_upload",
        )
    return upload


def discard_upload(upload: ImportUpload) -> None:
    """Forget an upload (imported or declined), once. Conflict (``unknown_upload``) when
    another request has done so since it was loaded: of two confirms at once (a double click,
    two tabs) the second waits for the first's row lock, then finds the upload gone and adds
    nothing. Flushes; the caller commits."""
    gone = db.session.execute(sa.delete(ImportUpload).where(ImportUpload.id == upload.id))
    if gone.rowcount != 1:
        raise Conflict(
            _("Berkas ini sudah diimpor atau dibatalkan di tab lain."), code="unknown_upload"
        )
    db.session.flush()

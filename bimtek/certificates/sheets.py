"""What a certificate prints, as plain data: the event's design and one sheet per person.

The renderer (``rendering.py``) draws these; ``printing.py`` builds them from the database
and ``documents.py`` from a stored design snapshot.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SignatoryPrint:
    name: str
    title: str
    nip: str
    image: bytes | None = None


@dataclass(frozen=True)
class Design:
    """What is the same on every certificate of an event."""

    title_text: str
    awarded_text: str
    role_text: str
    body_text: str
    organizer: str
    provider: str
    #: venue and city as printed ("Hotel Harris Samarinda"), see Event.place
    place: str
    signing_place: str
    signing_date: date
    signatories: tuple[SignatoryPrint, ...] = ()
    logo_left: bytes | None = None
    logo_right: bytes | None = None
    background: bytes | None = None


@dataclass(frozen=True)
class Sheet:
    """One certificate as printed: the snapshot kept on the certificate, plus its QR URL."""

    name: str
    number: str
    code: str
    url: str
    event_title: str
    start_date: date
    end_date: date
    total_jp: int
    minutes_per_jp: int
    modules: tuple[tuple[str, int], ...] = ()
    #: a line under the event's title naming what a narasumber or moderator did (the
    #: modules); empty on participants' certificates
    subject: str = ""
    revoked: bool = False
    #: drawn for printing, not the issued file: each page says so
    print_copy: bool = False
    #: the design this certificate was issued with, when it differs from the document's
    design: Design | None = None

    @property
    def static_key(self) -> tuple:
        """Certificates with the same key share the drawn static parts."""
        return (
            self.event_title,
            self.start_date,
            self.end_date,
            self.total_jp,
            self.minutes_per_jp,
            self.modules,
            self.subject,
        )

"""Configuration defaults; ``instance/config.py`` and the environment override them."""

import os

DEFAULT_SECRET_KEY = "dev-only-change-me"
#: read where they are used, never copied into the app's config
NOT_SETTINGS = ("BIMTEK_TEST_DATABASE_URL", "BIMTEK_CERT_SIGNING_PASSWORD")


class DefaultConfig:
    #: signs sessions and tokens; set a long random one (SECRET_KEY in the environment)
    SECRET_KEY = DEFAULT_SECRET_KEY
    #: the database; None: SQLite in instance/ (create_app), DATABASE_URL overrides it
    SQLALCHEMY_DATABASE_URI = None
    #: passed to SQLAlchemy's create_engine (pool sizes; core/database.py adds pinging)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: PostgreSQL: seconds before a new connection that gets no answer counts as failed (a
    #: request, and /readyz, then fail instead of waiting for the network to give up)
    DATABASE_CONNECT_TIMEOUT = 5
    #: /readyz: seconds each Redis it asks (job queue, rate-limit store) may take to answer
    HEALTH_CHECK_TIMEOUT = 2
    #: the log: "text" (one line a record) or "json" (one JSON object a line, same fields);
    #: every request logs its id, method, path, status and duration (core/request_log.py)
    LOG_FORMAT = "text"
    #: largest request body accepted, in bytes (the biggest upload)
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    #: reverse proxies in front of the app (nginx: 1) whose X-Forwarded-For and
    #: X-Forwarded-Proto are believed, each adding one hop (werkzeug's ProxyFix). 0: none, the
    #: socket's peer is the client. Set it to exactly the proxies there are: one too many and a
    #: client names its own address (escaping the rate limits and login locks, or locking
    #: somebody else out); one too few and every client counts as the proxy's one address.
    #: X-Forwarded-Host is never believed (the proxy passes Host itself)
    PROXY_COUNT = 0
    #: PostgreSQL: test a pooled connection before use only after it sat idle this many
    #: seconds (0: before every use, SQLAlchemy's pool_pre_ping; see core/database.py)
    DATABASE_PING_AFTER_IDLE = 10

    #: the session cookie is out of reach of page scripts
    SESSION_COOKIE_HTTPONLY = True
    #: the session cookie is not sent with cross-site POSTs
    SESSION_COOKIE_SAMESITE = "Lax"
    #: cookies only over HTTPS; `make run` turns this off for http://127.0.0.1
    SESSION_COOKIE_SECURE = True
    #: the remember-me cookie only over HTTPS, as the session cookie
    REMEMBER_COOKIE_SECURE = True
    #: the remember-me cookie is out of reach of page scripts
    REMEMBER_COOKIE_HTTPONLY = True
    #: the remember-me cookie is not sent with cross-site POSTs
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: a form's CSRF token lasts as long as its session (None: no expiry of its own)
    WTF_CSRF_TIME_LIMIT = None
    #: how staff and participant passwords are hashed (werkzeug's method string)
    PASSWORD_HASH_METHOD = "scrypt"

    #: the UI language when the person chose none
    BABEL_DEFAULT_LOCALE = "id"
    #: times are shown in the venue's time zone (WITA for Kutai Timur)
    BABEL_DEFAULT_TIMEZONE = "Asia/Makassar"
    #: the UI languages a person can choose
    LANGUAGES = ("id", "en")

    #: rate limits on logins, registration, verification (off in most tests)
    RATELIMIT_ENABLED = True
    #: where the counts live; memory:// counts per process, so with several workers use
    #: redis://host:6379 (BIMTEK_RATELIMIT_STORAGE_URI) and every worker shares them
    RATELIMIT_STORAGE_URI = "memory://"
    #: put before every key in the storage (several installs may share one Redis)
    RATELIMIT_KEY_PREFIX = "bimtek"
    #: answers carry X-RateLimit-* headers
    RATELIMIT_HEADERS_ENABLED = True
    #: every login POST, per address
    RATELIMIT_LOGIN = "10 per minute"
    #: failed logins per identifier (email/NIK typed) from one address, before that pair is
    #: refused for the rest of the window; never per account alone, so nobody elsewhere
    #: locks the owner out (the arithmetic is in auth/throttle.py)
    RATELIMIT_LOGIN_ACCOUNT_ADDRESS = "5 per 10 minutes; 20 per day"
    #: failed logins per address, over every account: broad, since a venue's Wi-Fi puts a
    #: few hundred participants behind one address
    RATELIMIT_LOGIN_ADDRESS_FAILURES = "200 per hour"
    #: refused account claim and password recovery POSTs per address (a wrong proof, a weak
    #: or mistyped password); one that succeeds is not counted
    RATELIMIT_ACCOUNT_RECOVERY = "30 per hour"
    #: wrong claims/recoveries with one code value (a ticket or activation code), from any
    #: address and for any NIK; the NIK alone is never counted
    RATELIMIT_RECOVERY_PROOF = "5 per hour"
    #: how long a manager's one-time activation code stays valid
    ACTIVATION_CODE_DAYS = 14
    #: how long the one-time code in a claim/recovery link sent by email stays valid
    ACCOUNT_LINK_HOURS = 24
    #: claim/recovery links by email per account (the NIK or address typed, and the account
    #: found), from any address; more requests get the same answer and no mail
    RATELIMIT_ACCOUNT_LINK = "3 per hour"
    #: registrations per address, the public form and the API together (a hall on one NAT)
    RATELIMIT_REGISTRATION = "120 per minute"
    #: certificate look-ups per address, the page and the API together
    RATELIMIT_VERIFY = "30 per minute"

    #: Public base URL used in QR codes and printed documents, e.g. https://bimtek.kutaitimurkab.go.id
    PUBLIC_BASE_URL = None
    #: participants per page of the organizer's participant list
    PARTICIPANTS_PER_PAGE = 50
    #: where module materials lay before they moved into the database (None: instance/uploads);
    #: read only by the migration that moves them (storage_0023)
    UPLOAD_FOLDER = None
    #: largest module material (slides, handouts) accepted, in bytes
    MATERIAL_MAX_BYTES = 20 * 1024 * 1024
    #: largest JSON body the API and the pages' scripts accept, in bytes
    JSON_MAX_BYTES = 1024 * 1024
    #: deepest nesting of arrays/objects in a JSON body (found without parsing it)
    JSON_MAX_DEPTH = 20

    # Imports from .xlsx (bimtek/core/xlsx_reader.py): every file is checked against these
    # before openpyxl reads it, and while it is read.
    #: largest participant list (.xlsx) accepted, in bytes; 5,000 people take under 1 MB
    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    #: most participant rows one import takes; bigger lists are split into several files
    IMPORT_MAX_ROWS = 5000
    #: largest question bank (.xlsx) accepted, in bytes
    QUESTION_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    #: most questions one import takes
    QUESTION_IMPORT_MAX_ROWS = 2000
    #: largest list of an event's narasumber, moderators and panitia (.xlsx), in bytes
    CONTRIBUTOR_IMPORT_MAX_BYTES = 1024 * 1024
    #: most narasumber/moderator/panitia rows one import takes
    CONTRIBUTOR_IMPORT_MAX_ROWS = 500
    #: an .xlsx whose parts unpack to more than this (declared sizes) is refused unopened
    XLSX_MAX_UNPACKED_BYTES = 25 * 1024 * 1024
    #: ... as is one with a part over 1 MB packed more than this many times (a zip bomb)
    XLSX_MAX_COMPRESSION_RATIO = 100
    #: reading one .xlsx stops with a clear message after this many seconds
    XLSX_MAX_SECONDS = 20

    #: job queue: unset = embedded (instance/jobs.sqlite, run by the app's own threads);
    #: redis://host:6379/0 = Redis, run by `flask --app bimtek worker` on any machine
    QUEUE_URL = None
    #: one queue per install sharing a Redis server
    QUEUE_NAME = "bimtek"
    #: threads per app process running embedded jobs
    QUEUE_EMBEDDED_WORKERS = 2
    #: a failed job (e.g. mail server down) is tried this many more times
    JOB_RETRIES = 5
    #: seconds before the first retry
    JOB_RETRY_DELAY = 30
    #: each further retry waits this many times longer
    JOB_RETRY_BACKOFF = 2
    #: how long a prepared ZIP/PDF/export is kept (in the database, bimtek/storage)
    PREPARED_FILE_HOURS = 24
    #: a prepared file whose build has not renewed its lease for this long was lost with its
    #: process (a killed worker) and is queued again (jobs/prepared.py)
    PREPARED_FILE_LEASE_SECONDS = 120
    #: exports (reports/exports.py) of an event with more participants than this are prepared
    #: by a job (progress page, file kept PREPARED_FILE_HOURS); smaller ones download at once.
    #: bench/excel.py --participants 2000 (8 sessions, tests, certificates): the full export
    #: took 2.3 s CPU (8.3 s wall on a busy 2-core machine), about 1.2 ms CPU a participant,
    #: so up to 500 a request stays around half a second; None = always direct
    EXPORT_JOB_THRESHOLD = 500
    #: certificates issued per transaction by the "Terbitkan" job (certificates/runs.py): one
    #: step of its progress page, and what a killed worker's successor issues again
    CERT_ISSUE_CHUNK = 25

    #: SMTP server for email; unset = every message is written to the log instead
    MAIL_SERVER = None
    #: 587 with STARTTLS, 465 with SSL, 25 plain
    MAIL_PORT = 587
    #: STARTTLS after connecting
    MAIL_USE_TLS = True
    #: TLS from the first byte (port 465)
    MAIL_USE_SSL = False
    #: SMTP login, when the server wants one
    MAIL_USERNAME = None
    #: its password (BIMTEK_MAIL_PASSWORD in the environment keeps it out of files)
    MAIL_PASSWORD = None
    #: From: of every message
    MAIL_DEFAULT_SENDER = "Bimtek <noreply@localhost>"
    #: seconds before a silent SMTP server counts as down
    MAIL_TIMEOUT = 20

    #: PKCS#12 (.p12) with the key that signs certificates; password: BIMTEK_CERT_SIGNING_PASSWORD
    CERT_SIGNING_PKCS12 = None
    #: "module:function" building another signer (a certified provider), see certificates/signing
    CERT_SIGNER_FACTORY = None
    #: largest PDF accepted for verification (/verify upload and POST /api/v1/verify)
    CERT_VERIFY_MAX_BYTES = 2 * 1024 * 1024
    #: seconds the PDF work of one upload may take (the request stays under 2 s); see
    #: certificates/verification.time_limit
    CERT_VERIFY_SECONDS = 1.5
    #: how often one address may upload a PDF for verification
    RATELIMIT_VERIFY_UPLOAD = "10 per minute"

    #: the folder of PostgreSQL's client programs for flask backup/restore (pg_dump,
    #: pg_restore), e.g. /usr/lib/postgresql/16/bin; None: found on PATH
    PG_BIN_DIR = None


def environment_overrides(environ=os.environ) -> dict:
    """Settings taken from the environment: DATABASE_URL, SECRET_KEY and BIMTEK_* names."""
    overrides = {}
    if environ.get("DATABASE_URL"):
        overrides["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(environ["DATABASE_URL"])
    if environ.get("SECRET_KEY"):
        overrides["SECRET_KEY"] = environ["SECRET_KEY"]
    for name, raw in environ.items():
        if name.startswith("BIMTEK_") and name not in NOT_SETTINGS:
            overrides[name.removeprefix("BIMTEK_")] = _parse_value(raw)
    return overrides


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for bare postgres:// URLs, as hosting providers hand them out."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _parse_value(raw: str):
    lowered = raw.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    try:
        return int(raw)
    except ValueError:
        return raw

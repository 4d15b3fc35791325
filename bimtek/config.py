"""Configuration defaults; ``instance/config.py`` and the environment override them."""

import os

DEFAULT_SECRET_KEY = "dev-only-change-me"
#: read where they are used, never copied into the app's config
NOT_SETTINGS = ("BIMTEK_TEST_DATABASE_URL", "BIMTEK_CERT_SIGNING_PASSWORD")


class DefaultConfig:
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: sqlite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: cookies only over HTTPS; `make run` turns this off for http://127.0.0.1
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    PASSWORD_HASH_METHOD = "scrypt"

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Makassar"
    LANGUAGES = ("id", "en")

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_REGISTRATION = "120 per minute"

    #: Public base URL used in QR codes and printed documents, e.g. https://bimtek.kutaitimurkab.go.id
    PUBLIC_BASE_URL = None
    PARTICIPANTS_PER_PAGE = 50
    #: where uploaded files live; a shared volume when several app servers run
    UPLOAD_FOLDER = None  # default: instance/uploads
    MATERIAL_MAX_BYTES = 20 * 1024 * 1024

    #: PKCS#12 (.p12) with the key that signs certificates; password: BIMTEK_CERT_SIGNING_PASSWORD
    CERT_SIGNING_PKCS12 = None
    #: "module:function" building another signer (a certified provider), see certificates/signing
    CERT_SIGNER_FACTORY = None
    #: largest PDF accepted for verification (/verify upload and POST /api/v1/verify)
    CERT_VERIFY_MAX_BYTES = 2 * 1024 * 1024
    #: how often one address may upload a PDF for verification
    RATELIMIT_VERIFY_UPLOAD = "10 per minute"


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

"""What every page shares: security headers, template helpers, access decorators."""

import unicodedata
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.routing import BuildError

from bimtek.core import numbers, timeutil
from bimtek.core.inputs import refuse_unstorable_text
from bimtek.core.phones import phone_display
from bimtek.core.qr import qr_svg
from bimtek.errors import InvalidInput
from bimtek.extensions import db, login_manager

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk terlebih dahulu.")
    login_manager.login_message_category = "info"

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response

    app.before_request(refuse_unstorable_text)

    @app.before_request
    def force_password_change():
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint
            not in (
                "auth.change_password",
                "auth.logout",
                "auth.logout_everywhere",
                "static",
                "auth.set_language",
            )
            and not request.path.startswith("/api/")
        ):
            return redirect(url_for("auth.change_password"))
        return None

    app.jinja_env.globals.update(
        nav_url=nav_url, get_locale=get_locale, qr_svg=lambda data, **kw: Markup(qr_svg(data, **kw))
    )
    app.jinja_env.filters.update(
        # every date and time shown on a page goes through these, in the page's language:
        # "2 Desember 2026 pukul 08.00 WITA" / "2 December 2026, 08:00 WITA"
        date_long=lambda day: timeutil.format_date(day, _language()),
        day_long=lambda day: timeutil.format_day(day, _language()),
        day_short=lambda day: timeutil.format_day_short(day, _language()),
        clock=lambda moment: timeutil.format_clock(moment, _language()),
        when=when,
        phone=phone_display,
        date_id=lambda day: timeutil.format_date(day, _language()),
        day_id=lambda day: timeutil.format_day(day, _language()),
        daterange_id=lambda event: timeutil.format_date_range(
            event.start_date, event.end_date, _language()
        ),
        local=lambda moment, event: timeutil.to_local(moment, event.timezone),
        #: for form values (<input type="time">), not for reading
        hhmm=lambda moment: moment.strftime("%H:%M") if moment else "",
        tz_abbr=lambda event: timeutil.zone_abbreviation(event.timezone),
        filesize=filesize,
        #: scores (0–100) to one decimal in the page's language: "20,6" / "20.6"
        score=lambda value: numbers.format_score(value, _language()),
        #: part of whole as a whole percentage, rounded down: {{ present|percent(total) }}%
        percent=numbers.percent,
    )


def _language() -> str:
    return str(get_locale() or "id")


def when(moment, event) -> str:
    """A stored UTC moment as people write it in the event's zone:
    "2 Desember 2026 pukul 08.00 WITA" (English: "2 December 2026, 08:00 WITA")."""
    if moment is None:
        return ""
    return timeutil.format_datetime(
        timeutil.to_local(moment, event.timezone),
        timeutil.zone_abbreviation(event.timezone),
        _language(),
    )


def filesize(size: int) -> str:
    """1.2 MB, 340 KB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def nav_url(endpoint: str, **values) -> str | None:
    """url_for that answers None for an endpoint this build does not have."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def staff_required(view):
    """Any staff account (administrator or event staff), logged in through the browser.

    Pages of one event use ``bimtek.events.access.event_required`` instead, which decides
    the right in that event."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def participant_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role != "participant":
            abort(403)
        return view(*args, **kwargs)

    return wrapped


#: longer than any path of this app: a ``next`` past it is not one of ours
NEXT_MAX_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a clean path on this site, else None (the caller's default).

    Dropped: a scheme or host, a leading ``//``, a backslash (browsers read ``/\\host`` as
    ``//host``), and any control character or space-like separator, written out or
    percent-encoded (CR/LF would split the Location header). Every redirect-after-form
    (login, language, account pages) goes through here."""
    if not target or len(target) > NEXT_MAX_LENGTH or not target.startswith("/"):
        return None
    decoded = unquote(target)
    for text in (target, decoded):
        if "\\" in text or text.startswith("//") or any(_unsafe_in_path(c) for c in text):
            return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _unsafe_in_path(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn")


def link_base(base: str | None = None) -> str:
    """Where absolute links start: ``base`` when given (a view passes ``public_base_url()``),
    else PUBLIC_BASE_URL, else http://localhost (a job on an install that set neither)."""
    base = base or current_app.config.get("PUBLIC_BASE_URL")
    return (base or "http://localhost").rstrip("/")


def public_base_url() -> str:
    """This install's public address: PUBLIC_BASE_URL, else the current request's host (for
    views to pass to services, which never read the request)."""
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url


def no_store(response):
    """``response`` kept by no cache or browser history (one-time codes, passwords)."""
    response = make_response(response)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def public_link(path: str) -> str:
    """``path`` as a full URL on the public address (``PUBLIC_BASE_URL``), for a message."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + path


def save_form_page(template, *, event=None, **context):
    """A page with one form: on a valid POST ``context["save"](request.form)``, commit and
    redirect to ``context["next_url"]()``; InvalidInput shows its fields (422)."""
    form = FlaskForm()
    errors = {}
    if form.validate_on_submit():
        try:
            context["save"](request.form)
        except InvalidInput as error:
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Tersimpan."), "success")
            return redirect(context["next_url"]())
    status = 422 if errors else 200
    return render_template(
        template,
        form=form,
        errors=errors,
        event=event,
        values=request.form if request.method == "POST" else None,
        **{k: v for k, v in context.items() if k not in ("save", "next_url")},
    ), status

"""Bimtek: training management for Indonesian government technical training."""

import os
from pathlib import Path

from flask import Flask, request, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from bimtek import jobs, models, notifications  # noqa: F401  (models: every table)
from bimtek.api import init_app as init_api
from bimtek.assessments import cloning as _assessment_cloning  # noqa: F401  (signal receiver)
from bimtek.assessments import jobs as assessment_jobs  # noqa: F401  (declares its jobs)
from bimtek.assessments.views import bp as assessments_bp
from bimtek.attendance.views import bp as attendance_bp
from bimtek.auth.sessions import load_user
from bimtek.auth.views import bp as auth_bp
from bimtek.certificates import bundles  # noqa: F401  (declares its jobs)
from bimtek.certificates import cloning as _certificate_cloning  # noqa: F401  (signal receiver)
from bimtek.certificates.bundles import bp as bundles_bp
from bimtek.certificates.served_views import bp as served_certificates_bp
from bimtek.certificates.views import bp as certificates_bp
from bimtek.cli import register_cli
from bimtek.config import DEFAULT_SECRET_KEY, DefaultConfig, environment_overrides
from bimtek.core import database, request_log, web
from bimtek.errors import register_error_handlers
from bimtek.evaluation.views import bp as evaluation_bp
from bimtek.events.views import admin_bp as events_admin_bp
from bimtek.extensions import babel, csrf, db, limiter, login_manager, migrate
from bimtek.health.views import bp as health_bp
from bimtek.jobs import prepared  # noqa: F401  (declares its jobs)
from bimtek.jobs.views import bp as prepared_files_bp
from bimtek.notifications.views import bp as notifications_bp
from bimtek.participants.account_views import admin_bp as participant_accounts_admin_bp
from bimtek.participants.account_views import bp as accounts_bp
from bimtek.participants.class_views import bp as classes_bp
from bimtek.participants.event_pages import admin_bp as staff_events_bp
from bimtek.participants.event_pages import bp as events_bp
from bimtek.participants.views import admin_bp as participants_admin_bp
from bimtek.participants.views import bp as participants_bp
from bimtek.privacy.views import bp as privacy_bp
from bimtek.reports import exports  # noqa: F401  (declares its prepared files)
from bimtek.reports.activity_views import bp as activity_report_bp
from bimtek.reports.audit_log_views import bp as audit_bp
from bimtek.reports.contributor_import_views import bp as contributor_import_bp
from bimtek.reports.views import bp as reports_bp
from bimtek.spj.views import bp as spj_bp
from bimtek.staff.views import bp as staff_bp

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then the environment, then ``config``."""
    app = Flask(
        __name__,
        instance_path=(config or {}).get("INSTANCE_PATH")
        or os.environ.get("BIMTEK_INSTANCE_PATH", str(ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(environment_overrides())
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
            Path(app.instance_path) / "bimtek.sqlite"
        )
    _refuse_default_secret(app)
    _trust_proxies(app)
    request_log.init_app(app)  # first: every request, even one refused early, gets its id

    database.configure_engine_options(app)
    db.init_app(app)
    database.install_sqlite_pragmas(app)
    database.install_idle_ping(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "bimtek" / "translations"),
    )

    web.init_app(app)
    _init_jobs(app)
    _register_blueprints(app)

    register_error_handlers(app)

    register_cli(app)
    return app


def _refuse_default_secret(app: Flask) -> None:
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "SECRET_KEY is the development default. Set SECRET_KEY in the environment or in "
            "instance/config.py before running Bimtek in production."
        )


def _trust_proxies(app: Flask) -> None:
    """Believe the X-Forwarded-For/-Proto hops of PROXY_COUNT proxies: request.remote_addr
    (rate limits, login locks) is then the address the nearest proxy saw, whatever a client
    wrote before it."""
    count = app.config["PROXY_COUNT"]
    if not isinstance(count, int) or count < 0:
        raise ValueError(f"PROXY_COUNT must be a whole number of proxies (0 or more): {count!r}")
    count = app.config["PROXY_COUNT"] = int(count)  # BIMTEK_PROXY_COUNT=1 reads as True
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)


def _init_jobs(app: Flask) -> None:
    """The job queue, and the domains that queue jobs or listen to other domains' signals."""
    notifications.init_app(app)
    jobs.init_app(app)


def _register_blueprints(app: Flask) -> None:
    """Every domain's blueprint (their modules are imported at the top of this module)."""
    app.register_blueprint(events_bp)
    app.register_blueprint(participants_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(events_admin_bp, url_prefix="/admin")
    app.register_blueprint(staff_events_bp, url_prefix="/admin")
    app.register_blueprint(participants_admin_bp, url_prefix="/admin")
    app.register_blueprint(classes_bp, url_prefix="/admin")
    app.register_blueprint(accounts_bp)
    app.register_blueprint(participant_accounts_admin_bp, url_prefix="/admin")
    app.register_blueprint(attendance_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(served_certificates_bp)
    app.register_blueprint(reports_bp, url_prefix="/admin")
    app.register_blueprint(contributor_import_bp, url_prefix="/admin")
    app.register_blueprint(staff_bp, url_prefix="/admin")
    app.register_blueprint(evaluation_bp)
    app.register_blueprint(activity_report_bp)
    app.register_blueprint(privacy_bp)
    init_api(app)  # the API blueprint under /api/v1, and its OpenAPI document
    app.register_blueprint(notifications_bp, url_prefix="/admin")
    app.register_blueprint(bundles_bp, url_prefix="/admin")
    app.register_blueprint(audit_bp, url_prefix="/admin")
    app.register_blueprint(prepared_files_bp, url_prefix="/admin")
    app.register_blueprint(spj_bp)
    app.register_blueprint(health_bp)


def select_locale() -> str:
    """The user's chosen language, else the one picked on this browser, else Indonesian.
    A JSON API client without a browser's choice asks with Accept-Language."""
    languages = ("id", "en")
    if not request:
        return "id"
    chosen = session.get("lang")
    if request.blueprint == "api":
        if chosen in languages:
            return chosen
        return request.accept_languages.best_match(languages, default="id")
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return chosen if chosen in languages else "id"

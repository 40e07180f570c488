"""Grants: the grant funds of the offices of Police and Crime Commissioners, each office's
names, contact and brand its own (grants.offices)."""

import logging
import os

from flask import Flask, g
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from config import BASE_DIR, Config, config_from_environment, normalise_database_url
from grants.core import clock, data_version, encryption, observability
from grants.core import limits as rate_limits
from grants.core.content_policy import content_security_policy
from grants.core.ids import RowIdConverter
from grants.core.refusals import was_refused
from grants.db import configure_sqlite
from grants.documents.operations.storage import storage_for
from grants.extensions import babel, csrf, db, login_manager, migrate, talisman
from grants.offices.operations import scoping
from grants.pages.views.compiled_words import CompiledWordsEnvironment

logger = logging.getLogger(__name__)


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the application for a configuration (GRANTS_CONFIG's when none is given)."""
    config_class = config_class or config_from_environment()
    app = Flask(
        __name__,
        instance_path=str(BASE_DIR / "instance"),
        template_folder=str(BASE_DIR / "templates"),
    )
    # Each template compiled once for each language, its plain words written in (before the
    # environment is made, on first use).
    app.jinja_environment = CompiledWordsEnvironment
    app.config.from_object(config_class)
    # Before any route is added: an id in a path that no row can have matches no route.
    app.url_map.converters["int"] = RowIdConverter
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("ENCRYPTION_KEYS"):
        app.config["ENCRYPTION_KEYS"] = os.environ["ENCRYPTION_KEYS"]
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
            os.environ["DATABASE_URL"]
        )
    config_class.check(app.config)
    encryption.key_ring_for(app.config)  # a key that is not a key stops the start, not a page
    storage_for(app.config)  # so does a STORAGE_URL this service cannot use
    os.makedirs(app.instance_path, exist_ok=True)
    observability.install(app)

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(BASE_DIR / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # A `{% trans %}` block's message is its words with the template's line breaks and
    # indentation made single spaces, as pybabel extracts it (trimmed, in
    # grants/translations/babel.cfg).
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    db.init_app(app)
    data_version.install(keeping=app.config["KEEP_FIGURES"])
    scoping.install()
    with app.app_context():
        configure_sqlite(db.engine, busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
                         immediate=app.config["SQLITE_IMMEDIATE_TRANSACTIONS"])
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True,
                     compare_type=True)
    login_manager.init_app(app)
    WTFormsHelpers(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=content_security_policy(),
        referrer_policy="strict-origin-when-cross-origin",
        frame_options="DENY",
    )
    csrf.init_app(app)
    rate_limits.init_app(app)

    from grants import all_models  # noqa: F401  (every table in the metadata)
    from grants.accounts.cli import users_cli
    from grants.accounts.views import bp as accounts_bp
    from grants.accounts.views import sessions
    from grants.allocations.views import bp as allocations_bp
    from grants.applications.views import bp as applications_bp
    from grants.assessment.views import bp as assessment_bp
    from grants.awards.views import bp as awards_bp
    from grants.ceremonies.views import bp as ceremonies_bp
    from grants.core import caching, form_files
    from grants.core.error_pages import register_error_handlers
    from grants.decisions.views import bp as decisions_bp
    from grants.demo.cli import seed_demo_command
    from grants.direct_awards.views import bp as direct_awards_bp
    from grants.documents.views import bp as documents_bp
    from grants.funds.views import bp as funds_bp
    from grants.interest.views import bp as interest_bp
    from grants.jobs.cli import worker_command
    from grants.ledger.views import bp as ledger_bp
    from grants.monitoring.cli import reminders_cli
    from grants.monitoring.views import bp as monitoring_bp
    from grants.nominations.views import bp as nominations_bp
    from grants.offices.cli import offices_cli
    from grants.offices.views import bp as offices_bp
    from grants.opendata.cli import export_command, import_command
    from grants.opendata.views import bp as opendata_bp
    from grants.organisations.views import bp as organisations_bp
    from grants.pages.views import bp as pages_bp
    from grants.pages.views import language, layout
    from grants.plans.views import bp as plans_bp
    from grants.records.cli import outbox_cli
    from grants.records.operations import audit_guard
    from grants.records.views import bp as records_bp
    from grants.reference.cli import seed_reference_command
    from grants.reports.cli import report_cli
    from grants.reports.views import bp as reports_bp
    from grants.rounds.views import bp as rounds_bp
    from grants.security.cli import backup_command, keys_cli, personal_data_cli, retention_cli
    from grants.staff.views import bp as staff_bp

    for blueprint in (pages_bp, accounts_bp, organisations_bp, applications_bp, assessment_bp,
                      awards_bp, decisions_bp, monitoring_bp, allocations_bp, staff_bp,
                      reports_bp, funds_bp, ledger_bp,
                      direct_awards_bp, plans_bp, rounds_bp, records_bp,
                      opendata_bp, nominations_bp, documents_bp, ceremonies_bp, interest_bp,
                      offices_bp):
        app.register_blueprint(blueprint)
    sessions.init_app(app)
    # Welsh for the offices that offer it; English without the compiled catalogues.
    babel.init_app(app, locale_selector=language.language_of_request)
    layout.init_app(app)
    language.init_app(app)
    register_error_handlers(app)
    form_files.install(app)
    caching.install(app)
    audit_guard.install()
    for command in (seed_reference_command, seed_demo_command, export_command, import_command,
                    users_cli, outbox_cli, retention_cli, backup_command, keys_cli,
                    personal_data_cli, reminders_cli, report_cli, worker_command, offices_cli):
        app.cli.add_command(command)
    _note_when_requests_arrive(app)
    _commit_after_successful_requests(app)
    return app


def _note_when_requests_arrive(app: Flask) -> None:
    """Deadlines are judged by when a request reached the server, not when it was handled."""

    @app.before_request
    def note_arrival():
        g.request_received_at = clock.utcnow()


def _commit_after_successful_requests(app: Flask) -> None:
    """Services only flush; a request that succeeds commits once, and any other rolls back,
    as does one whose view showed a refusal (Flask-SQLAlchemy removes the session, discarding
    what was not committed)."""

    @app.after_request
    def commit(response):
        if response.status_code < 400 and not was_refused():
            # The page is answered: nothing it loaded is read again, so the commit need not
            # mark every loaded attribute of every loaded row as stale, work that grows with
            # what the page read.
            session = db.session()
            session.expire_on_commit = False
            try:
                session.commit()
            finally:
                session.expire_on_commit = True
        else:
            db.session.rollback()
        return response

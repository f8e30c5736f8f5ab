"""The application factory."""

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog
from litestar import Litestar, Router
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from register import __version__
from register.domain.text import FRENCH_MONTHS
from register.logs import configure_logging
from register.services.credentials import derived_secret
from register.services.schedule import run_dump_refresh, run_schedule
from register.settings import Settings, get_settings
from register.store.engine import make_engine, prepare_engine, use_engine
from register.store.sqlite_busy import PatientSQLiteEngine
from register.web.access_log import access_log_middleware
from register.web.api import CORS, api_router
from register.web.dumps import DumpsController
from register.web.feeds import PRECOMPRESSED, FeedsController
from register.web.head_requests import head_as_get
from register.web.health import HealthController
from register.web.limits import MAX_BODY_BYTES, request_limits
from register.web.pages import PublicPages
from register.web.problems import (
    http_exception_handler,
    internal_error_handler,
)
from register.web.public import PUBLIC_PAGES
from register.web.public.context import ui_for
from register.web.public.statistics_page import warm_up
from register.web.security_headers import security_headers_middleware
from register.web.staff.admin import AdminController
from register.web.staff.auth import CSRF_COOKIE, LoginRequiredError, PasswordChangeRequiredError
from register.web.staff.compliance import ComplianceController
from register.web.staff.login import LoginController
from register.web.staff.meetings import MeetingController
from register.web.staff.queue import QueueController
from register.web.staff.responses import login_required_handler, password_change_handler

WEB_DIR = Path(__file__).parent


def local_date(moment: datetime, timezone: str) -> str:
    """A time as the authority's readers expect it: "3 mars 2026, 14 h 30" in local time."""
    local = moment.astimezone(ZoneInfo(timezone))
    month = FRENCH_MONTHS[local.month - 1]
    return f"{local.day} {month} {local.year}, {local.hour} h {local.minute:02d}"


def uuid_or_none(value: object) -> UUID | None:
    """A UUID from form text, or None (templates look organisations up with what was typed)."""
    try:
        return UUID(str(value))
    except ValueError:
        return None


def _template_engine(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters["local_date"] = local_date
    engine.engine.filters["uuid_or_none"] = uuid_or_none
    engine.engine.globals["ui_for"] = ui_for


def _staff_router(settings: Settings) -> Router:
    """The back office under /staff. CSRF protection is its own middleware: forms exist only
    here, so public pages, feeds and the API set no cookie at all."""
    csrf = CSRFConfig(
        secret=derived_secret(settings, "csrf"),
        cookie_name=CSRF_COOKIE,
        cookie_path="/staff",
        cookie_secure=settings.cookies_secure,
        cookie_httponly=True,
        cookie_samesite="strict",
    )
    return Router(
        path="/staff",
        route_handlers=[
            LoginController,
            QueueController,
            MeetingController,
            ComplianceController,
            AdminController,
        ],
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf)],
    )


_log = structlog.get_logger("register.web")


async def _warm_up() -> None:
    """The statistics page's whole-register figures, computed while the server starts to answer
    (`statistics_page.warm_up`); a failure only means the first visitor computes them."""
    try:
        await warm_up()
    except Exception:  # the database not ready yet, or gone: nothing is lost
        _log.warning("computing the statistics at start-up failed", exc_info=True)


def create_app(settings: Settings | None = None, *, engine: Engine[Any] | None = None) -> Litestar:
    """The register's web application, bound to the database that `settings` name (or to
    `engine`, which tests pass to share theirs)."""
    settings = settings or get_settings()
    configure_logging(settings)
    engine = engine or make_engine(settings)
    use_engine(engine)

    stop_schedule = asyncio.Event()
    background: set[asyncio.Task[None]] = set()
    warming: set[asyncio.Task[None]] = set()

    async def start_database() -> None:
        await prepare_engine(engine)
        if isinstance(engine, PostgresEngine):
            await engine.start_connection_pool()

    async def start_schedule() -> None:
        warming.add(asyncio.create_task(_warm_up()))
        if settings.sync_interval > 0:
            background.add(asyncio.create_task(run_schedule(settings, stop_schedule)))
        if settings.dumps_interval > 0:
            background.add(asyncio.create_task(run_dump_refresh(settings, stop_schedule)))

    async def stop_everything() -> None:
        stop_schedule.set()
        for task in warming:
            task.cancel()
        if background:
            await asyncio.wait(background, timeout=30)
        if isinstance(engine, PostgresEngine):
            await engine.close_connection_pool()
        if isinstance(engine, PatientSQLiteEngine):
            engine.readers.close()

    app = Litestar(
        route_handlers=[
            HealthController,
            PublicPages,
            *PUBLIC_PAGES,
            DumpsController,
            FeedsController,
            _staff_router(settings),
            api_router(settings),
            create_static_files_router(
                path="/static", directories=[WEB_DIR / "static"], include_in_schema=False
            ),
        ],
        on_startup=[start_database, start_schedule],
        on_shutdown=[stop_everything],
        dependencies={"settings": Provide(lambda: settings, sync_to_thread=False)},
        exception_handlers={
            LoginRequiredError: login_required_handler,
            PasswordChangeRequiredError: password_change_handler,
            HTTPException: http_exception_handler,
            # A database that cannot answer gets a 503 from here too (`database_unavailable`),
            # while any other error, an SQL one included, stays a logged 500.
            Exception: internal_error_handler,
        },
        template_config=TemplateConfig(
            directory=WEB_DIR / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=_template_engine,
        ),
        openapi_config=OpenAPIConfig(
            title="Registre de transparence des agendas",
            version=__version__,
            description="Public register of officials' meetings with interest representatives. "
            "Every error is an RFC 9457 problem-details document.",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
        ),
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=1024, exclude_opt_key=PRECOMPRESSED
        ),
        cors_config=CORS,
        middleware=[request_limits],
        request_max_body_size=MAX_BODY_BYTES,
        debug=settings.debug,
        logging_config=None,
    )
    # Outermost, so that every answer is logged, routing failures (404, 405) included; HEAD is
    # made a GET inside them, so the log keeps the method asked.
    app.asgi_handler = access_log_middleware(
        security_headers_middleware(head_as_get(app.asgi_handler))
    )
    return app

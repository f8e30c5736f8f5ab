"""The public JSON API, `/api/v1`: the published register for journalists and their tools.

Every answer reads `register.queries` and `register.public_entities` (published versions only);
`conventions` gives every read its representation (JSON or CSV), conditional GET and caching;
errors are RFC 9457 problem documents (`register.web.problems`).
"""

from litestar import Router
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.types import Middleware

from register.settings import Settings
from register.web.api.conventions import ApiConventions, negotiated
from register.web.api.entities import (
    AuthoritiesController,
    OfficialsController,
    OrganisationsController,
    PolicyAreasController,
)
from register.web.api.log import LogController
from register.web.api.meetings import MeetingsController
from register.web.api.rate_limit import rate_limit
from register.web.api.statistics import StatisticsController

API_PATH = "/api/v1"

CORS = CORSConfig(
    allow_origins=["*"],
    allow_methods=["GET", "HEAD", "OPTIONS"],
    allow_credentials=False,
    expose_headers=[
        "ETag",
        "Link",
        "Retry-After",
        "RateLimit-Limit",
        "RateLimit-Policy",
        "RateLimit-Remaining",
        "RateLimit-Reset",
    ],
    max_age=86400,
)
"""Reads are open to every origin (no credentials: nothing public needs them); the back office
accepts no cross-origin write, since no preflight for another method succeeds."""


def api_router(settings: Settings) -> Router:
    """`/api/v1`, limited to `settings.api_rate_limit` requests a minute per address."""
    middleware: list[Middleware] = [ApiConventions()]
    if settings.api_rate_limit > 0:
        middleware.insert(0, rate_limit(settings.api_rate_limit))
    return Router(
        path=API_PATH,
        route_handlers=[
            MeetingsController,
            OfficialsController,
            OrganisationsController,
            AuthoritiesController,
            PolicyAreasController,
            StatisticsController,
            LogController,
        ],
        middleware=middleware,
        dependencies={"negotiated": Provide(negotiated, sync_to_thread=False)},
    )


__all__ = ["API_PATH", "CORS", "api_router"]

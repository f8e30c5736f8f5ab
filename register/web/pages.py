"""The public register's front page. It reads only `register.queries`, like the API and the
feeds; the other public pages are in `register.web.public`."""

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from register.queries import MeetingFilter, latest_published, register_summary
from register.settings import Settings
from register.store.repositories.authorities import list_authorities
from register.web.i18n import both_paths
from register.web.public.context import base_url, feed_links, page, ui_for


class PublicPages(Controller):
    include_in_schema = False

    @get(both_paths("/"), name="home", cache=False)
    async def home(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Template:
        """The register's front page: headline figures and the latest published meetings."""
        ui = ui_for(request)
        context: dict[str, Any] = {
            "section": "home",
            "authorities": await list_authorities(),
            "summary": await register_summary(),
            "meetings": await latest_published(limit=30),
            "feeds": feed_links(base_url(request, settings), MeetingFilter()),
        }
        return page("home.html", ui, context)

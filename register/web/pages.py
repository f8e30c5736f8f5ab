"""Public HTML pages. They read only `register.queries`, like the API and the feeds."""

from typing import Any

from litestar import Controller, get
from litestar.response import Template

from register.queries import latest_published, register_summary
from register.store.repositories.authorities import list_authorities


class PublicPages(Controller):
    include_in_schema = False

    @get("/", name="home", cache=False)
    async def home(self) -> Template:
        """The register's front page: headline figures and the latest published meetings."""
        context: dict[str, Any] = {
            "authorities": await list_authorities(),
            "summary": await register_summary(),
            "meetings": await latest_published(limit=30),
        }
        return Template(template_name="home.html", context=context)

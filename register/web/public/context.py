"""What every public page needs: the reader's language, the register's address, the feed
links of a list of meetings, and error pages in the reader's language."""

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from litestar import MediaType, Request, Response
from litestar.response import Template

from register.queries import MeetingFilter
from register.settings import Settings
from register.web.i18n import Ui, language_of
from register.web.problems import problem, wants_html

HATVP_PAGE = "https://www.hatvp.fr/fiche-organisation/?organisation={id}"
EU_REGISTER_PAGE = "https://transparency-register.europa.eu/searchregister-or-update/organisation-detail_en?id={id}"


def ui_for(request: Request[Any, Any, Any]) -> Ui:
    """The reader's language and this page's address (the Jinja global `ui_for`, for pages
    rendered without a `ui`, such as the error pages of the exception handlers)."""
    path = request.url.path
    return Ui(language_of(path), path, request.url.query or "")


def base_url(request: Request[Any, Any, Any], settings: Settings) -> str:
    """The register's public address, without a final slash."""
    return (settings.base_url or str(request.base_url)).rstrip("/")


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """The same list of meetings as a calendar, feeds and a spreadsheet."""

    ics: str
    webcal: str
    rss: str
    atom: str
    csv: str
    json: str

    def link_header(self) -> str:
        """The `Link` header announcing them (RFC 8288), as Datasette does for its tables."""
        return ", ".join(
            f'<{url}>; rel="alternate"; type="{kind}"'
            for url, kind in (
                (self.ics, "text/calendar"),
                (self.rss, "application/rss+xml"),
                (self.atom, "application/atom+xml"),
                (self.csv, "text/csv"),
                (self.json, "application/json"),
            )
        )


def feed_links(base: str, filters: MeetingFilter) -> FeedLinks:
    """The feeds and exports of the meetings `filters` selects, with the same parameters."""
    params = filters.params()
    query = urlencode(params)
    suffix = f"?{query}" if query else ""
    csv_query = urlencode({**params, "format": "csv"})
    ics = f"{base}/feeds/rencontres.ics{suffix}"
    return FeedLinks(
        ics=ics,
        webcal="webcal://" + ics.split("://", 1)[1],
        rss=f"{base}/feeds/rencontres.rss{suffix}",
        atom=f"{base}/feeds/rencontres.atom{suffix}",
        csv=f"{base}/api/v1/meetings?{csv_query}",
        json=f"{base}/api/v1/meetings{suffix}",
    )


class Identified(Protocol):
    """An organisation's identifiers, as a published meeting or `public_entities` gives them."""

    @property
    def hatvp_id(self) -> str | None: ...
    @property
    def siren(self) -> str | None: ...
    @property
    def eu_transparency_id(self) -> str | None: ...
    @property
    def hatvp_registered(self) -> bool: ...


def hatvp_url(organisation: Identified) -> str | None:
    """The organisation's page in the HATVP répertoire, keyed by its national identifier (the
    register's `hatvp_id`, else its SIREN when it is registered)."""
    key = organisation.hatvp_id or (organisation.siren if organisation.hatvp_registered else None)
    return HATVP_PAGE.format(id=key) if key else None


def eu_register_url(organisation: Identified) -> str | None:
    """The organisation's page in the EU Transparency Register."""
    key = organisation.eu_transparency_id
    return EU_REGISTER_PAGE.format(id=key) if key else None


def page(
    template: str,
    ui: Ui,
    context: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
) -> Template:
    """A public page in the reader's language."""
    return Template(
        template_name=template,
        context={"ui": ui, **context},
        media_type=MediaType.HTML,
        headers={"Content-Language": ui.lang, **(headers or {})},
    )


def error_page(
    request: Request[Any, Any, Any],
    ui: Ui,
    status: int,
    detail: str,
    *,
    problems: list[str] | None = None,
    retry_url: str | None = None,
) -> Response[Any]:
    """An error in the reader's language: the HTML error page for a browser, an RFC 9457
    problem document for other clients (like every error of the register)."""
    if not wants_html(request):
        errors = [{"message": text} for text in problems or []]
        return problem(request, status, detail, errors=errors or None)
    return Template(
        template_name="error.html",
        context={
            "ui": ui,
            "status": status,
            "title": "",
            "detail": detail,
            "problems": problems or [],
            "retry_url": retry_url,
        },
        status_code=status,
        media_type=MediaType.HTML,
        headers={"Content-Language": ui.lang},
    )


def not_found(request: Request[Any, Any, Any], ui: Ui, what: str) -> Response[Any]:
    return error_page(request, ui, 404, what)

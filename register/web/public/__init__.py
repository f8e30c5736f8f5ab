"""The public register's pages besides the front page (`register.web.pages`): search, meeting,
official, organisation and authority pages, statistics, open data and methodology, in French
at `/…` and in English at `/en/…`."""

from litestar.types import ControllerRouterHandler

from register.web.public.entities import EntityPages
from register.web.public.info import InfoPages
from register.web.public.meeting import MeetingPage
from register.web.public.search import SearchPage
from register.web.public.statistics_page import StatisticsPage

PUBLIC_PAGES: tuple[ControllerRouterHandler, ...] = (
    SearchPage,
    MeetingPage,
    EntityPages,
    StatisticsPage,
    InfoPages,
)

__all__ = ["PUBLIC_PAGES"]

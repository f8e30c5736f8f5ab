"""The baseline: the cheapest way to do each step with the bare `caldav` library.

Each operation opens its own `DAVClient` (as a sync job must), with the authentication scheme
given up front so that no request is spent on a 401 challenge, and counts its HTTP exchanges
with a response hook on the client's niquests session, as the connector does.
"""

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import unquote

from caldav.collection import Calendar
from caldav.davclient import DAVClient
from caldav.elements import dav
from icalendar import Calendar as ICalendar


@dataclass(frozen=True)
class Account:
    url: str
    username: str
    password: str


@dataclass(frozen=True)
class Outcome:
    """What one baseline operation saw."""

    requests: int
    objects: int
    removed: int = 0
    sync_token: str | None = None


class _Client:
    """A DAVClient whose exchanges are counted."""

    def __init__(self, account: Account) -> None:
        self.requests = 0
        self.client = DAVClient(
            account.url,
            username=account.username or None,
            password=account.password if account.username else None,
            auth_type="basic" if account.username else None,
            enable_rfc6764=False,
        )
        hooks: Any = self.client.session.hooks
        hooks["response"].append(self._count)
        self.calendar = Calendar(client=self.client, url=account.url)

    def _count(self, response: Any, **_: Any) -> Any:
        self.requests += 1
        return response

    def __enter__(self) -> "_Client":
        return self

    def __exit__(self, *_: object) -> None:
        self.client.close()


def _text(item: Any) -> str | bytes:
    return cast(str | bytes, item.raw_data if item.raw_data is not None else item.data)


def parse_all(items: list[Any]) -> int:
    """Parse every object's text with icalendar (the least any client does with them)."""
    for item in items:
        ICalendar.from_ical(_text(item))
    return len(items)


def initial_load(account: Account) -> Outcome:
    """One calendar-query REPORT of every event (`search(event=True)`), each parsed."""
    with _Client(account) as bare:
        found = cast(list[Any], bare.calendar.search(event=True))
        parse_all(found)
        return Outcome(requests=bare.requests, objects=len(found))


def query_only(account: Account) -> int:
    """The same REPORT without parsing: warms the server's caches before timing."""
    with _Client(account) as bare:
        return len(cast(list[Any], bare.calendar.search(event=True)))


def current_token(account: Account) -> str:
    """The calendar's sync token (PROPFIND, RFC 6578 §4)."""
    with _Client(account) as bare:
        token = bare.calendar.get_property(dav.SyncToken())
        if not token:
            raise RuntimeError(f"{account.url} has no sync token")
        return str(token)


def delta(account: Account, sync_token: str) -> Outcome:
    """The sync-collection REPORT from `sync_token` (hrefs and ETags only), then one
    calendar-multiget of the changed objects, each parsed."""
    with _Client(account) as bare:
        changes = cast(
            Any,
            bare.calendar.get_objects_by_sync_token(
                sync_token=sync_token, load_objects=False, disable_fallback=True
            ),
        )
        deleted = {unquote(str(url)) for url in changes.deleted_urls}
        changed = [item.url for item in changes if unquote(str(item.url)) not in deleted]
        bodies = cast(list[Any], bare.calendar.multiget(changed)) if changed else []
        parse_all(bodies)
        return Outcome(
            requests=bare.requests,
            objects=len(bodies),
            removed=len(deleted),
            sync_token=str(changes.sync_token),
        )

"""The connector for a calendar source, by its kind."""

from dataclasses import dataclass

from connectors.delta import CalendarConnector
from register.domain.kinds import SourceKind
from register.domain.source import CalendarSource


@dataclass(frozen=True)
class ConnectorLimits:
    """How long a connector waits for a server, and how often it tries again: a request with
    no answer within `timeout` seconds fails, and a network failure or a 5xx answer is retried
    `retries` times after `backoff`, 2×`backoff`… seconds; a sync still reading after
    `deadline` seconds is abandoned, however steadily the bytes come. Tests of failing servers
    shorten them; the defaults suit real servers (a first sync of 5,000 events takes about
    10 s)."""

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    deadline: float = 900.0


DEFAULT_LIMITS = ConnectorLimits()


def connector_for(
    source: CalendarSource,
    password: str,
    default_timezone: str,
    limits: ConnectorLimits = DEFAULT_LIMITS,
) -> CalendarConnector:
    """A connector reading `source`, with floating times taken in `default_timezone`."""
    if source.kind is SourceKind.CALDAV:
        from connectors.caldav_source import CalDAVConnector

        caldav: CalendarConnector = CalDAVConnector(
            source.url,
            source.username,
            password,
            default_timezone=default_timezone,
            timeout=limits.timeout,
            retries=limits.retries,
            backoff=limits.backoff,
        )
        return caldav
    from connectors.ics_source import ICSConnector

    ics: CalendarConnector = ICSConnector(
        source.url,
        source.username,
        password,
        default_timezone=default_timezone,
        timeout=limits.timeout,
        retries=limits.retries,
        backoff=limits.backoff,
    )
    return ics

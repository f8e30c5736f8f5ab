"""The connector for a calendar source, by its kind."""

from connectors.delta import CalendarConnector
from register.domain.kinds import SourceKind
from register.domain.source import CalendarSource


def connector_for(
    source: CalendarSource, password: str, default_timezone: str
) -> CalendarConnector:
    """A connector reading `source`, with floating times taken in `default_timezone`."""
    if source.kind is SourceKind.CALDAV:
        from connectors.caldav_source import CalDAVConnector

        caldav: CalendarConnector = CalDAVConnector(
            source.url, source.username, password, default_timezone=default_timezone
        )
        return caldav
    from connectors.ics_source import ICSConnector

    ics: CalendarConnector = ICSConnector(
        source.url, source.username, password, default_timezone=default_timezone
    )
    return ics

"""Calendar objects written by the fault tests, and the register's view of a source's meetings
that the tests compare."""

from typing import Any
from uuid import UUID

from register.store.repositories.meetings import list_meetings
from tests.stored import StoredRegister


def event(uid: str, summary: str, day: int, hour: int = 9, extra: str = "") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tests//Agenda//FR",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261201T090000Z",
        f"DTSTART;TZID=Europe/Paris:202701{day:02d}T{hour:02d}0000",
        f"DTEND;TZID=Europe/Paris:202701{day:02d}T{hour:02d}4500",
        f"SUMMARY:{summary}",
        "ATTENDEE;CN=Jean Martin:mailto:jean.martin@fbv.example",
        *([extra] if extra else []),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


async def calendar_view(stored: StoredRegister, source_id: UUID) -> dict[tuple[str, str], Any]:
    """A source's meetings by occurrence key, with what the calendar owns of each."""
    meetings = await list_meetings(stored.authority.id, limit=1000)
    return {
        (m.source.uid, m.source.recurrence_id): (
            m.when,
            m.status,
            m.calendar,
            m.classification.kind,
        )
        for m in meetings
        if m.source is not None and m.source.source_id == source_id
    }

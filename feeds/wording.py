"""What feeds say about a published meeting, in French (the register's language): the headline,
who was present, when it took place, and why a version was published.

Both the iCalendar and the RSS/Atom feeds use these words, so a meeting reads the same in a
calendar app and in a feed reader.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from feeds.links import official_url, organisation_url
from feeds.timing import ONE_DAY, all_day_dates, local_end, local_start
from register.domain.kinds import (
    LEGAL_GROUND_LABELS,
    LegalGround,
    MeetingFormat,
    PublicationState,
)
from register.domain.public_record import Publication, PublicRecord
from register.domain.text import FRENCH_MONTHS

GROUND_LABELS: dict[LegalGround, str] = {
    ground: label[0].lower() + label[1:] for ground, label in LEGAL_GROUND_LABELS.items()
}
"""The grounds within a sentence ("retirée : vie privée d'une personne physique")."""

FORMAT_LABELS: dict[MeetingFormat, str] = {
    MeetingFormat.IN_PERSON: "en présentiel",
    MeetingFormat.VIDEO: "visioconférence",
    MeetingFormat.PHONE: "téléphone",
}

_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Characters that neither XML 1.0 (§2.2) nor an iCalendar TEXT value (RFC 5545 §3.3.11: no
# control characters but HTAB) can carry; line breaks are kept and written by each format.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` without the characters a feed cannot carry, with `\\n` line breaks."""
    return _UNWRITABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class Action(StrEnum):
    """What a version of a meeting did to the public register."""

    PUBLICATION = "Publication"
    CORRECTION = "Correction"
    WITHDRAWAL = "Retrait"


def action_of(publication: Publication) -> Action:
    """A withdrawn state is a withdrawal, the first version a publication, any later one a
    correction."""
    if publication.state is PublicationState.WITHDRAWN:
        return Action.WITHDRAWAL
    if publication.version <= 1:
        return Action.PUBLICATION
    return Action.CORRECTION


def organisations(record: PublicRecord) -> str:
    return ", ".join(rep.name for rep in record.representatives) or "Rencontre"


def headline(record: PublicRecord) -> str:
    """`<organisations> — <official>`: who met whom, the line a calendar or a reader lists."""
    return clean(f"{organisations(record)} — {record.official.name}")


def reason(publication: Publication) -> str | None:
    """The public reason of a correction or a withdrawal, with the withdrawal's legal ground."""
    action = action_of(publication)
    text = clean(publication.reason.strip()) if publication.reason else ""
    ground = GROUND_LABELS.get(publication.legal_ground) if publication.legal_ground else None
    if action is Action.WITHDRAWAL:
        line = f"Motif du retrait : {text}" if text else "Rencontre retirée"
        return f"{line} (fondement : {ground})" if ground else line
    if not text:
        return None
    if action is Action.CORRECTION:
        return f"Motif de la correction : {text}"
    return f"Motif : {text}"


@dataclass(frozen=True)
class Presence:
    """One line of "who was present": a name, what follows it, and its page if it has one."""

    name: str
    detail: str = ""
    url: str | None = None

    @property
    def text(self) -> str:
        return self.name + self.detail


def presences(record: PublicRecord, base_url: str) -> tuple[Presence, ...]:
    """Officials and agents present, the other attendees (by role only), and the interest
    representatives (with the people's names where the authority publishes them)."""
    officials = (
        Presence(
            clean(official.name),
            clean(f", {official.role}") if official.role else "",
            official_url(base_url, official.id),
        )
        for official in record.officials_present
    )
    others = (Presence(clean(role)) for role in record.other_attendee_roles)
    representatives = (
        Presence(
            clean(rep.name),
            clean(f" ({', '.join(rep.people)})") if rep.people else "",
            organisation_url(base_url, rep.id),
        )
        for rep in record.representatives
    )
    return (*officials, *others, *representatives)


def policy_area(record: PublicRecord) -> str | None:
    return clean(record.policy_area.label.fr) if record.policy_area else None


def meeting_format(record: PublicRecord) -> str | None:
    return FORMAT_LABELS.get(record.format) if record.format else None


def _day(day: date) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    return f"{_DAYS[day.weekday()]} {number} {FRENCH_MONTHS[day.month - 1]} {day.year}"


def _hour(moment: datetime) -> str:
    return f"{moment.hour} h {moment.minute:02d}"


def when(record: PublicRecord) -> str:
    """The meeting's date and hours in its own zone, in French: "mardi 10 mars 2026, de
    14 h 30 à 15 h 30 (Europe/Paris)"."""
    if record.all_day:
        first, after = all_day_dates(record)
        last = first if after is None else after - ONE_DAY
        if last == first:
            return f"{_day(first)} (toute la journée)"
        return f"du {_day(first)} au {_day(last)} (journées entières)"
    start, end = local_start(record), local_end(record)
    zone = f" ({record.timezone})"
    if end is None or end == start:
        return f"{_day(start.date())} à {_hour(start)}{zone}"
    if end.date() == start.date():
        return f"{_day(start.date())}, de {_hour(start)} à {_hour(end)}{zone}"
    return f"du {_day(start.date())} à {_hour(start)} au {_day(end.date())} à {_hour(end)}{zone}"

"""A meeting's page (`/rencontres/{id}`): its public record, who attended, why it is in the
register, every public version with the reasons of corrections and withdrawals, and how long
its publication took."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from register.domain.kinds import LegalGround, LogAction
from register.domain.public_record import PublicRecord, PublishedMeeting
from register.public_entities import public_officials
from register.queries import log_action, meeting_history, published_meeting
from register.settings import Settings
from register.store.repositories.authorities import get_authority
from register.web.i18n import both_paths
from register.web.public.context import (
    base_url,
    eu_register_url,
    hatvp_url,
    not_found,
    page,
    ui_for,
)

CHANGED_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Objet", ("subject",)),
    ("Date et heure", ("starts_at", "ends_at", "timezone", "all_day")),
    ("Statut", ("status",)),
    ("Responsable public", ("official",)),
    ("Personnes présentes pour la collectivité", ("officials_present", "other_attendee_roles")),
    ("Organisations", ("representatives",)),
    ("Domaine", ("policy_area",)),
    ("Format", ("format",)),
    ("Initiative", ("initiative",)),
    ("Documents", ("documents",)),
    ("Qualification", ("classification", "reasons")),
)
"""The parts of a record a new version may change, as the history names them (French labels,
English in the catalogue)."""


@dataclass(frozen=True, slots=True)
class Version:
    """One public version, as the history lists it."""

    number: int
    action: LogAction
    recorded_at: datetime
    reason: str | None
    legal_ground: LegalGround | None
    changed: tuple[str, ...]
    log_seq: int


@dataclass(frozen=True, slots=True)
class Timeliness:
    """How long after the meeting its first version was published, against the deadline."""

    delay_days: float
    deadline_days: int | None
    on_time: bool | None


def changed_parts(before: PublicRecord, after: PublicRecord) -> tuple[str, ...]:
    """The labels of the parts of the record that differ between two versions."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return tuple(label for label, names in CHANGED_FIELDS if any(old[n] != new[n] for n in names))


def versions(history: list[PublishedMeeting]) -> list[Version]:
    """The history's versions, newest first, each with what it changed."""
    found = []
    for position, item in enumerate(history):
        previous = history[position - 1].record if position else None
        found.append(
            Version(
                number=item.publication.version,
                action=log_action(item),
                recorded_at=item.recorded_at,
                reason=item.publication.reason,
                legal_ground=item.publication.legal_ground,
                changed=changed_parts(previous, item.record) if previous else (),
                log_seq=item.log_seq,
            )
        )
    return list(reversed(found))


async def timeliness(meeting: PublishedMeeting) -> Timeliness | None:
    """First publication − the meeting's end (its start when it has none), in days."""
    first = meeting.first_published_at
    if first is None:
        return None
    record = meeting.record
    end = record.ends_at or record.starts_at
    authority = await get_authority(record.authority.id)
    deadline = authority.policy.publication_deadline_days if authority else None
    delay = (first - end).total_seconds() / 86_400
    return Timeliness(
        delay_days=delay,
        deadline_days=deadline,
        on_time=None if deadline is None else delay <= deadline,
    )


class MeetingPage(Controller):
    include_in_schema = False

    @get(both_paths("/rencontres/{meeting_id:str}"), name="meeting", cache=False)
    async def meeting(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        meeting_id: FromPath[str],
    ) -> Response[Any]:
        """One published meeting and its public history."""
        ui = ui_for(request)
        missing = ui.t("Aucune rencontre publiée n'a l'identifiant « {id} ».", id=meeting_id[:60])
        try:
            key = UUID(meeting_id)
        except ValueError:
            return not_found(request, ui, missing)
        current = await published_meeting(key)
        if current is None:
            return not_found(request, ui, missing)
        history = await meeting_history(key)
        api_url = f"{base_url(request, settings)}/api/v1/meetings/{key}"
        return page(
            "public/meeting.html",
            ui,
            {
                "section": "search",
                "meeting": current,
                "record": current.record,
                "versions": versions(history),
                "timeliness": await timeliness(current),
                "hatvp_url": hatvp_url,
                "eu_register_url": eu_register_url,
                "api_url": api_url,
                # Only officials whose own diary has published meetings have a page.
                "official_pages": {official.id for official in await public_officials()},
            },
            headers={"Link": f'<{api_url}>; rel="alternate"; type="application/json"'},
        )

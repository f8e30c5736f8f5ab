"""A demo authority with eight months of realistic meetings, to try the register end to end.

The demo goes through the real pipeline: its officials' calendars are written to a local CalDAV
server, connected as sources and synced; "staff" then complete and publish the synced meetings
with the same services as real work, so its public register obeys the policy and its publication
log is a genuine, verifiable chain. The content derives from `seed` and `now` only.
"""

import random
from dataclasses import replace
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from register.domain.authority import Authority
from register.domain.kinds import (
    AuthorityKind,
    PublicationState,
)
from register.domain.policy import Policy
from register.domain.representative import InterestRepresentative
from register.services.demo import data
from register.services.demo.caldav_server import DemoCalDAVServer
from register.services.demo.pipeline import attach_staff_work, connect_and_sync, publish_calendars
from register.services.demo.planner import Planner, Step
from register.services.demo.roster import DemoOrganisation, Roster
from register.services.publication import Actor, apply_action
from register.settings import Settings
from register.store.ids import new_id
from register.store.repositories.authorities import get_authority_by_slug, save_authority
from register.store.repositories.meetings import (
    count_meetings,
    get_meeting,
    update_meeting,
)
from register.store.repositories.officials import list_officials, save_official
from register.store.repositories.representatives import list_representatives, save_representative
from register.store.transaction import writing

ACTOR = Actor(label="demo")


class DemoSummary(BaseModel):
    """What the demo authority holds, and whether this call created it."""

    model_config = ConfigDict(frozen=True)

    authority_slug: str
    authority_name: str
    created: bool
    officials: int
    representatives: int
    """Organisations in the (shared) directory of interest representatives."""
    meetings: int
    by_state: dict[PublicationState, int]


async def seed_demo(
    *, now: datetime, settings: Settings, caldav: DemoCalDAVServer, seed: int = 2026
) -> DemoSummary:
    """Create the demo authority "bellerive-sur-loire" unless it exists, and say what it holds.

    `caldav` is the running demo CalDAV server that will hold the calendars. The database must
    be migrated and its engine bound. If a run fails half-way, remove the data directory and
    start again: the demo is not meant to be repaired.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    existing = await get_authority_by_slug(data.AUTHORITY_SLUG)
    if existing is not None:
        return await _summary(existing, created=False)
    rng = random.Random(seed)
    async with writing():
        authority = _authority(rng)
        await save_authority(authority)
        roster = Roster.build(authority)
        for official in roster.officials:
            await save_official(official)
        organisations = await _organisations(rng, used_sirens={authority.siren or ""})
    planner = Planner(rng, now, authority, roster, organisations)
    planner.plan()
    planned = sorted(planner.meetings, key=lambda m: m.when.starts_at)
    urls = await publish_calendars(caldav, roster.officials, planned, now=now, mayor=roster.mayor)
    sources = await connect_and_sync(caldav, roster.officials, urls, settings)
    synced_ids = await attach_staff_work(planned, sources)
    async with writing():  # one commit for the whole publication history
        for step in sorted(planner.steps, key=lambda s: (s.moment, s.order)):
            await _run(replace(step, meeting_id=synced_ids[step.meeting_id]))
    return await _summary(authority, created=True)


async def _summary(authority: Authority, *, created: bool) -> DemoSummary:
    by_state = await count_meetings(authority.id)
    return DemoSummary(
        authority_slug=authority.slug,
        authority_name=authority.name,
        created=created,
        officials=len(await list_officials(authority.id)),
        representatives=len(await list_representatives()),
        meetings=sum(by_state.values()),
        by_state=by_state,
    )


def _authority(rng: random.Random) -> Authority:
    return Authority(
        id=new_id(),
        slug=data.AUTHORITY_SLUG,
        name=data.AUTHORITY_NAME,
        kind=AuthorityKind.COMMUNE,
        siren=data.siren(rng, data.AUTHORITY_SIREN_PREFIX),
        timezone="Europe/Paris",
        website=data.AUTHORITY_WEBSITE,
        # Names of the people met are recorded for staff, not published (the default).
        policy=Policy(require_representative_names=True),
    )


async def _organisations(rng: random.Random, used_sirens: set[str]) -> tuple[DemoOrganisation, ...]:
    """The demo's organisations; one already in the shared directory (same name) is reused."""
    existing = {rep.name: rep for rep in await list_representatives()}
    organisations: list[DemoOrganisation] = []
    for spec in data.ORGANISATIONS:
        siren = data.siren(rng)
        while siren in used_sirens:
            siren = data.siren(rng)
        used_sirens.add(siren)
        rna = data.rna(rng) if spec.category == data.ASSOCIATION else None
        eu_id = data.eu_transparency_id(rng) if spec.eu else None
        people: list[str] = []
        while len(people) < 3:
            name = data.person_name(rng)
            if name not in people:
                people.append(name)
        rep = existing.get(spec.name) or InterestRepresentative(
            id=new_id(),
            name=spec.name,
            aliases=spec.aliases,
            acronym=spec.acronym,
            hatvp_id=siren if spec.hatvp else None,
            siren=siren,
            rna=rna,
            eu_transparency_id=eu_id,
            email_domains=(spec.domain,),
            website=spec.website,
            category=spec.category,
            hatvp_registered=spec.hatvp,
        )
        if spec.name not in existing:
            await save_representative(rep)
        organisations.append(DemoOrganisation(spec, rep, tuple(people)))
    return tuple(organisations)


async def _run(step: Step) -> None:
    if step.record is not None:
        current = await get_meeting(step.meeting_id)
        if current is None:
            raise RuntimeError(f"demo meeting {step.meeting_id} vanished")
        await update_meeting(current.model_copy(update={"record": step.record}))
    await apply_action(
        step.meeting_id,
        step.action,
        actor=ACTOR,
        reason=step.reason,
        legal_ground=step.legal_ground,
        now=step.moment,
    )

"""Drawing days of meetings, in worker processes: each day has its own random stream (seeded
by the seed and the date), so the register does not depend on how many workers drew it.

A worker returns rows ready for the engine (the working tables) and the public versions
waiting to be chained (`bench.synthetic.publishing.Chain`, in the main process).
"""

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bench.synthetic.plans import Plan, Planner
from bench.synthetic.publishing import Pending, payloads, provisional_entry
from bench.synthetic.rows import TableRows, by_name
from bench.synthetic.world import World, build_world
from register.domain.publication_log import canonical_json
from register.store.repositories.meetings import new_meeting_values
from register.store.repositories.public_register import (
    public_meeting_values,
    public_organisation_values,
)
from register.store.tables import (
    Meeting,
    OfficialPresence,
    PublicMeeting,
    PublicMeetingOrganisation,
    RepresentativePresence,
)


@dataclass(frozen=True)
class Recipe:
    """What the register is drawn from: the same recipe gives the same register."""

    seed: int
    now: datetime
    years: float
    officials: int
    organisations: int

    def world(self) -> World:
        return build_world(
            random.Random(f"{self.seed}:world"),
            now=self.now,
            years=self.years,
            officials=self.officials,
            organisations=self.organisations,
        )


@dataclass
class Batch:
    """The rows of some consecutive days."""

    last_day: date
    meetings: list[list[Any]] = field(default_factory=list)
    official_presence: list[list[Any]] = field(default_factory=list)
    representative_presence: list[list[Any]] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    states: Counter[str] = field(default_factory=Counter)


def working_values(
    plan: Plan,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The meeting's row (as `add_meeting` then `update_meeting` leave it) and its presence
    rows (as `replace_presence` writes them)."""
    meeting = plan.meeting
    values = by_name(new_meeting_values(meeting))
    values.update(
        id=meeting.id,
        lock_version=meeting.lock_version,
        classified_at=plan.classified_at,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )
    officials = [
        {"meeting": meeting.id, "official": official_id, "position": position}
        for position, official_id in enumerate(dict.fromkeys(meeting.record.officials_present))
    ]
    representatives = [
        {
            "meeting": meeting.id,
            "representative": presence.representative_id,
            "people": list(presence.people),
            "position": position,
        }
        for position, presence in enumerate(meeting.record.representatives)
    ]
    return values, officials, representatives


class Producer:
    """Draws the meetings of given days into rows for `engine` ("sqlite" or "postgres")."""

    def __init__(self, recipe: Recipe, engine: str, world: World | None = None) -> None:
        self.recipe = recipe
        self.world = world or recipe.world()
        self.planner = Planner(random.Random(), recipe.now, self.world.staffs, self.world.directory)
        self.tables = {
            table: TableRows(table, engine)
            for table in (
                Meeting,
                OfficialPresence,
                RepresentativePresence,
                PublicMeeting,
                PublicMeetingOrganisation,
            )
        }

    def produce(self, days: Sequence[tuple[date, int]]) -> Batch:
        batch = Batch(last_day=days[-1][0])
        for day, count in days:
            rng = random.Random(f"{self.recipe.seed}:{day.isoformat()}")
            self.planner.rng = rng
            joined = self.world.joined_by(day)
            if joined is None:
                continue
            for _ in range(count):
                self._add(batch, self.planner.plan(day, joined.draw(rng)))
        return batch

    def _add(self, batch: Batch, plan: Plan) -> None:
        tables = self.tables
        meeting, officials, representatives = working_values(plan)
        batch.meetings.append(tables[Meeting].row(meeting))
        batch.official_presence.extend(tables[OfficialPresence].row(r) for r in officials)
        batch.representative_presence.extend(
            tables[RepresentativePresence].row(r) for r in representatives
        )
        batch.states[plan.meeting.publication_state.value] += 1
        world = self.world
        found = payloads(plan, world.authorities, world.officials, world.representatives)
        meeting_id = plan.meeting.id
        last = len(found) - 1
        for index, (version, payload) in enumerate(zip(plan.versions, found, strict=True)):
            public_row, organisations = None, []
            if index < last:
                payload_json = canonical_json(payload)
            else:
                entry = provisional_entry(
                    meeting_id, index + 1, version.action, version.recorded_at
                )
                values = by_name(
                    public_meeting_values(
                        entry, payload, first_published_at=plan.versions[0].recorded_at
                    )
                )
                values["id"] = meeting_id
                payload_json = values["body"]
                public_row = tables[PublicMeeting].row(values)
                organisations = [
                    tables[PublicMeetingOrganisation].row({**by_name(v), "meeting": meeting_id})
                    for v in public_organisation_values(payload)
                ]
            batch.pending.append(
                Pending(
                    meeting_id=str(meeting_id),
                    version=index + 1,
                    action=version.action.value,
                    recorded_at=version.recorded_at,
                    payload_json=payload_json,
                    public_row=public_row,
                    organisations=organisations,
                )
            )


_PRODUCER: Producer | None = None


def start_worker(recipe: Recipe, engine: str) -> None:
    """A worker process's initialiser: it draws the same world as the main process."""
    global _PRODUCER  # noqa: PLW0603 - one producer per worker process
    _PRODUCER = Producer(recipe, engine)


def produce_in_worker(days: Sequence[tuple[date, int]]) -> Batch:
    if _PRODUCER is None:
        raise RuntimeError("start_worker was not called in this process")
    return _PRODUCER.produce(days)

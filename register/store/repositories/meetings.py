"""Meetings with their collegiality record (officials and organisations present)."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.columns import Column
from piccolo.query.functions.aggregate import Count

from register.domain.calendar_data import CalendarData
from register.domain.classification import Classification, Reason
from register.domain.collegiality import (
    CollegialityRecord,
    OtherAttendee,
    RepresentativePresence,
)
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    Initiative,
    LegalGround,
    MeetingFormat,
    MeetingStatus,
    PublicationState,
)
from register.domain.meeting import Meeting, SourceKey, TimeSpan
from register.store.repositories.errors import ConflictError, NotFoundError
from register.store.tables import Meeting as MeetingRow
from register.store.tables import OfficialPresence
from register.store.tables import RepresentativePresence as PresenceRow
from register.store.transaction import writing


def _from_row(
    row: dict[str, Any],
    officials_present: Sequence[UUID],
    representatives: Sequence[RepresentativePresence],
) -> Meeting:
    source = (
        SourceKey(
            source_id=row["source"], uid=row["source_uid"], recurrence_id=row["recurrence_id"]
        )
        if row["source"] is not None
        else None
    )
    return Meeting(
        id=row["id"],
        authority_id=row["authority"],
        official_id=row["official"],
        source=source,
        when=TimeSpan(
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            timezone=row["timezone"],
            all_day=row["all_day"],
        ),
        status=MeetingStatus(row["status"]),
        calendar=CalendarData.model_validate(row["calendar"] or {}),
        classification=Classification(
            kind=ClassificationKind(row["classification_kind"]),
            confidence=row["classification_confidence"],
            reasons=tuple(Reason.model_validate(r) for r in row["classification_reasons"] or ()),
            representative_ids=tuple(
                UUID(value) for value in row["classification_representatives"] or ()
            ),
            decided_by=Decider(row["classification_decided_by"]),
        ),
        record=CollegialityRecord(
            officials_present=tuple(officials_present),
            other_attendees=tuple(
                OtherAttendee.model_validate(a) for a in row["other_attendees"] or ()
            ),
            representatives=tuple(representatives),
            subject=row["subject"],
            policy_area=row["policy_area"],
            format=MeetingFormat(row["format"]) if row["format"] else None,
            initiative=Initiative(row["initiative"]) if row["initiative"] else None,
            documents=tuple(row["documents"] or ()),
        ),
        publication_state=PublicationState(row["publication_state"]),
        published_version=row["published_version"],
        first_published_at=row["first_published_at"],
        exemption_ground=LegalGround(row["exemption_ground"]) if row["exemption_ground"] else None,
        lock_version=row["lock_version"],
    )


def calendar_values(meeting: Meeting) -> dict[Column | str, Any]:
    """The columns that follow the calendar on every resync (the sync writes only these)."""
    return {
        MeetingRow.starts_at: meeting.when.starts_at,
        MeetingRow.ends_at: meeting.when.ends_at,
        MeetingRow.timezone: meeting.when.timezone,
        MeetingRow.all_day: meeting.when.all_day,
        MeetingRow.status: meeting.status.value,
        MeetingRow.visibility: meeting.calendar.visibility.value,
        MeetingRow.summary: meeting.calendar.summary,
        MeetingRow.calendar: meeting.calendar.model_dump(mode="json"),
        MeetingRow.updated_at: datetime.now(UTC),
    }


def classification_values(classification: Classification) -> dict[Column | str, Any]:
    return {
        MeetingRow.classification_kind: classification.kind.value,
        MeetingRow.classification_confidence: classification.confidence,
        MeetingRow.classification_reasons: [
            r.model_dump(mode="json") for r in classification.reasons
        ],
        MeetingRow.classification_representatives: [
            str(representative_id) for representative_id in classification.representative_ids
        ],
        MeetingRow.classification_decided_by: classification.decided_by.value,
        MeetingRow.classified_at: datetime.now(UTC),
    }


def _staff_values(meeting: Meeting) -> dict[Column | str, Any]:
    """The columns that staff own: classification, collegiality record, publication. A resync
    never writes them; a staff edit writes only them."""
    record = meeting.record
    return {
        **classification_values(meeting.classification),
        MeetingRow.subject: record.subject,
        MeetingRow.policy_area: record.policy_area,
        MeetingRow.format: record.format.value if record.format else None,
        MeetingRow.initiative: record.initiative.value if record.initiative else None,
        MeetingRow.other_attendees: [a.model_dump(mode="json") for a in record.other_attendees],
        MeetingRow.documents: list(record.documents),
        MeetingRow.publication_state: meeting.publication_state.value,
        MeetingRow.published_version: meeting.published_version,
        MeetingRow.first_published_at: meeting.first_published_at,
        MeetingRow.exemption_ground: (
            meeting.exemption_ground.value if meeting.exemption_ground else None
        ),
        MeetingRow.updated_at: datetime.now(UTC),
    }


def new_meeting_values(meeting: Meeting) -> dict[Column | str, Any]:
    """Every column of a new meeting."""
    source = meeting.source
    return {
        MeetingRow.authority: meeting.authority_id,
        MeetingRow.official: meeting.official_id,
        MeetingRow.source: source.source_id if source else None,
        MeetingRow.source_uid: source.uid if source else "",
        MeetingRow.recurrence_id: source.recurrence_id if source else "",
        **calendar_values(meeting),
        **_staff_values(meeting),
        MeetingRow.lock_version: 0,
    }


def name_of(column: Column | str) -> str:
    return column if isinstance(column, str) else column._meta.name


async def replace_presence(meeting: Meeting) -> None:
    await OfficialPresence.delete().where(OfficialPresence.meeting == meeting.id)
    await PresenceRow.delete().where(PresenceRow.meeting == meeting.id)
    officials = list(dict.fromkeys(meeting.record.officials_present))
    if officials:
        await OfficialPresence.insert(
            *[
                OfficialPresence(meeting=meeting.id, official=official_id, position=position)
                for position, official_id in enumerate(officials)
            ]
        )
    if meeting.record.representatives:
        await PresenceRow.insert(
            *[
                PresenceRow(
                    meeting=meeting.id,
                    representative=presence.representative_id,
                    people=list(presence.people),
                    position=position,
                )
                for position, presence in enumerate(meeting.record.representatives)
            ]
        )


async def add_meeting(meeting: Meeting) -> Meeting:
    """Store a new meeting (lock version 0)."""
    values = new_meeting_values(meeting)
    async with writing():
        await MeetingRow.insert(
            MeetingRow(id=meeting.id, **{name_of(column): v for column, v in values.items()})
        )
        await replace_presence(meeting)
    return meeting.model_copy(update={"lock_version": 0})


async def update_meeting(meeting: Meeting) -> Meeting:
    """Write what staff own of `meeting` (classification, record, publication) over the stored
    row if no other editor changed it since it was read; the calendar's fields are left alone.

    `meeting.lock_version` is the version that was read; the stored one must still match it
    (optimistic locking), or ConflictError is raised and nothing is written.
    """
    values = _staff_values(meeting)
    values[MeetingRow.lock_version] = meeting.lock_version + 1
    async with writing():
        updated = (
            await MeetingRow.update(values)
            .where(MeetingRow.id == meeting.id, MeetingRow.lock_version == meeting.lock_version)
            .returning(MeetingRow.id)
        )
        if not updated:
            exists = await MeetingRow.exists().where(MeetingRow.id == meeting.id)
            if not exists:
                raise NotFoundError(f"no meeting {meeting.id}")
            raise ConflictError(f"meeting {meeting.id} was changed by someone else")
        await replace_presence(meeting)
    return meeting.model_copy(update={"lock_version": meeting.lock_version + 1})


async def _hydrate(rows: list[dict[str, Any]]) -> list[Meeting]:
    """Meetings from rows, loading every row's presence records in two queries."""
    ids = [row["id"] for row in rows]
    officials: dict[UUID, list[UUID]] = defaultdict(list)
    representatives: dict[UUID, list[RepresentativePresence]] = defaultdict(list)
    if ids:
        for presence in (
            await OfficialPresence.select(OfficialPresence.meeting, OfficialPresence.official)
            .where(OfficialPresence.meeting.is_in(ids))
            .order_by(OfficialPresence.position)
        ):
            officials[presence["meeting"]].append(presence["official"])
        for presence in (
            await PresenceRow.select(
                PresenceRow.meeting, PresenceRow.representative, PresenceRow.people
            )
            .where(PresenceRow.meeting.is_in(ids))
            .order_by(PresenceRow.position)
            .output(load_json=True)
        ):
            representatives[presence["meeting"]].append(
                RepresentativePresence(
                    representative_id=presence["representative"],
                    people=tuple(presence["people"] or ()),
                )
            )
    return [_from_row(row, officials[row["id"]], representatives[row["id"]]) for row in rows]


async def get_meeting(meeting_id: UUID) -> Meeting | None:
    rows = await MeetingRow.select().where(MeetingRow.id == meeting_id).output(load_json=True)
    meetings = await _hydrate(rows)
    return meetings[0] if meetings else None


async def find_by_source_key(key: SourceKey) -> Meeting | None:
    rows = (
        await MeetingRow.select()
        .where(
            MeetingRow.source == key.source_id,
            MeetingRow.source_uid == key.uid,
            MeetingRow.recurrence_id == key.recurrence_id,
        )
        .output(load_json=True)
    )
    meetings = await _hydrate(rows)
    return meetings[0] if meetings else None


async def list_meetings(
    authority_id: UUID,
    *,
    states: Sequence[PublicationState] = (),
    limit: int = 100,
    offset: int = 0,
) -> list[Meeting]:
    """Staff listing of an authority's meetings, newest first."""
    query = MeetingRow.select().where(MeetingRow.authority == authority_id)
    if states:
        query = query.where(MeetingRow.publication_state.is_in([s.value for s in states]))
    rows = (
        await query.order_by(MeetingRow.starts_at, ascending=False)
        .order_by(MeetingRow.id)
        .limit(limit)
        .offset(offset)
        .output(load_json=True)
    )
    return await _hydrate(rows)


async def count_meetings(authority_id: UUID) -> dict[PublicationState, int]:
    """How many meetings an authority has in each publication state."""
    rows = (
        await MeetingRow.select(MeetingRow.publication_state, Count(alias="n"))
        .where(MeetingRow.authority == authority_id)
        .group_by(MeetingRow.publication_state)
    )
    counts = dict.fromkeys(PublicationState, 0)
    for row in rows:
        counts[PublicationState(row["publication_state"])] = row["n"]
    return counts


async def meetings_by_id(ids: Sequence[UUID], *, batch: int = 500) -> dict[UUID, Meeting]:
    """Several meetings by id (unknown ids left out), read a batch at a time so that a long
    list stays within the databases' limits on query parameters."""
    found: dict[UUID, Meeting] = {}
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), batch):
        rows = (
            await MeetingRow.select()
            .where(MeetingRow.id.is_in(wanted[start : start + batch]))
            .output(load_json=True)
        )
        found.update((meeting.id, meeting) for meeting in await _hydrate(rows))
    return found

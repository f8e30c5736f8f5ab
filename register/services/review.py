"""The review queue: the meetings that need an editor's action, most urgent first.

Candidates are selected in SQL (`register.store.repositories.review`); why each is in the queue
is decided here with the domain's rules: the publication deadline (`Meeting.is_late`) and the
record's completeness (`publication_violations`).
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from register.domain.authority import Authority
from register.domain.kinds import ClassificationKind, MeetingStatus, PublicationState
from register.domain.meeting import Meeting
from register.domain.readiness import publication_violations
from register.store.repositories.authorities import get_authority
from register.store.repositories.meetings import meetings_by_id
from register.store.repositories.review import QueueCandidate, queue_candidates


class QueueReason(StrEnum):
    """Why a meeting is in the queue; a meeting may have several."""

    LATE = "late"
    """Past the authority's publication deadline and not published."""
    CHANGED = "changed"
    """Published, but the calendar event changed after the last public version."""
    CANCELLED = "cancelled"
    """Published, but the calendar event was cancelled after the last public version."""
    INCOMPLETE = "incomplete"
    """With an interest representative, unpublished, and its record not yet publishable."""
    TO_REVIEW = "to_review"
    """With an interest representative or unknown, and not yet published."""


class QueueFilters(BaseModel):
    """What staff narrow the queue to; dates are the authority's local dates of the start."""

    model_config = ConfigDict(frozen=True)

    official_id: UUID | None = None
    state: PublicationState | None = None
    since: date | None = None
    until: date | None = None
    reason: QueueReason | None = None


class QueueItem(BaseModel):
    """One meeting of the queue. `summary` is the calendar's own text (staff only); `timezone`
    is the authority's, in which pages show times; `due_at` is the publication deadline of an
    unpublished meeting; `overdue_days` counts the days begun since it passed."""

    model_config = ConfigDict(frozen=True)

    meeting_id: UUID
    official_id: UUID
    official_name: str
    authority_id: UUID
    authority_name: str
    starts_at: datetime
    timezone: str
    summary: str
    classification_kind: ClassificationKind
    publication_state: PublicationState
    reasons: tuple[QueueReason, ...]
    due_at: datetime | None
    overdue_days: int
    lock_version: int


class QueuePage(BaseModel):
    """A page of the queue, how many items match in all, and how many each official has
    (under every filter but the official one), most first."""

    model_config = ConfigDict(frozen=True)

    items: list[QueueItem]
    total: int
    counts_per_official: list[tuple[UUID, str, int]]


_UNPUBLISHED = frozenset({PublicationState.DRAFT, PublicationState.READY})
_PUBLISHED = frozenset({PublicationState.PUBLISHED, PublicationState.CORRECTED})
_TO_REVIEW_KINDS = frozenset(
    {ClassificationKind.INTEREST_REPRESENTATIVE, ClassificationKind.UNKNOWN}
)
_AFTER_PUBLICATION = frozenset({QueueReason.CHANGED, QueueReason.CANCELLED})


def _awaits_review(meeting: Meeting) -> bool:
    """Unpublished, public, held and unexempted: a meeting the register may have to publish."""
    return (
        meeting.publication_state in _UNPUBLISHED
        and meeting.exemption_ground is None
        and not meeting.is_private
        and meeting.status is not MeetingStatus.CANCELLED
    )


@dataclass
class _Entry:
    candidate: QueueCandidate
    authority: Authority
    reasons: set[QueueReason]
    due_at: datetime | None
    record_checked: bool = False
    sort_key: tuple[int, datetime, datetime, str] = field(init=False)

    def __post_init__(self) -> None:
        meeting = self.candidate.meeting
        starts = meeting.when.starts_at
        if QueueReason.LATE in self.reasons and self.due_at is not None:
            self.sort_key = (0, self.due_at, starts, str(meeting.id))
        elif self.reasons & _AFTER_PUBLICATION:
            changed = self.candidate.calendar_changed_at or starts
            self.sort_key = (1, changed, starts, str(meeting.id))
        else:
            self.sort_key = (2, self.due_at or starts, starts, str(meeting.id))

    @property
    def may_be_incomplete(self) -> bool:
        meeting = self.candidate.meeting
        return meeting.classification.is_interest_meeting and _awaits_review(meeting)


def _reasons(candidate: QueueCandidate, authority: Authority, now: datetime) -> set[QueueReason]:
    """Every reason but `incomplete`, which needs the record."""
    meeting = candidate.meeting
    found: set[QueueReason] = set()
    if meeting.is_late(authority.policy.publication_deadline_days, now):
        found.add(QueueReason.LATE)
    if meeting.classification.kind in _TO_REVIEW_KINDS and _awaits_review(meeting):
        found.add(QueueReason.TO_REVIEW)
    changed, published = candidate.calendar_changed_at, candidate.last_published_at
    if (
        meeting.publication_state in _PUBLISHED
        and changed is not None
        and published is not None
        and changed > published
    ):
        cancelled = meeting.status is MeetingStatus.CANCELLED
        found.add(QueueReason.CANCELLED if cancelled else QueueReason.CHANGED)
    return found


async def _check_records(entries: Sequence[_Entry]) -> None:
    """Add `incomplete` to the entries whose record is not publishable yet."""
    wanted = [e for e in entries if not e.record_checked and e.may_be_incomplete]
    meetings = await meetings_by_id([e.candidate.meeting.id for e in wanted])
    for entry in wanted:
        meeting = meetings.get(entry.candidate.meeting.id)
        if meeting is not None and publication_violations(meeting, entry.authority.policy):
            entry.reasons.add(QueueReason.INCOMPLETE)
    for entry in entries:
        entry.record_checked = True


def _in_dates(meeting: Meeting, authority: Authority, filters: QueueFilters) -> bool:
    day = meeting.when.starts_at.astimezone(authority.zone).date()
    return (filters.since is None or filters.since <= day) and (
        filters.until is None or day <= filters.until
    )


def _item(entry: _Entry, now: datetime) -> QueueItem:
    candidate, meeting = entry.candidate, entry.candidate.meeting
    overdue = 0
    if QueueReason.LATE in entry.reasons and entry.due_at is not None:
        overdue = math.ceil((now - entry.due_at) / timedelta(days=1))
    return QueueItem(
        meeting_id=meeting.id,
        official_id=meeting.official_id,
        official_name=candidate.official_name,
        authority_id=meeting.authority_id,
        authority_name=candidate.authority_name,
        starts_at=meeting.when.starts_at,
        timezone=entry.authority.timezone,
        summary=meeting.calendar.summary,
        classification_kind=meeting.classification.kind,
        publication_state=meeting.publication_state,
        reasons=tuple(reason for reason in QueueReason if reason in entry.reasons),
        due_at=entry.due_at,
        overdue_days=overdue,
        lock_version=meeting.lock_version,
    )


async def review_queue(
    *,
    authority_ids: Sequence[UUID] | None,
    official_id: UUID | None = None,
    filters: QueueFilters | None = None,
    now: datetime,
    limit: int = 50,
    offset: int = 0,
) -> QueuePage:
    """The queue of these authorities (None: every one, for administrators), or of one
    official only (an official's own view), filtered, most urgent first: late meetings (the most
    overdue first), then published meetings cancelled or changed in the calendar (the longest
    waiting first), then the rest by publication deadline (the soonest first)."""
    filters = filters or QueueFilters()
    candidates = await queue_candidates(
        authority_ids=authority_ids,
        official_id=official_id,
        state=filters.state,
        # A day's margin either side: the exact local dates are checked below.
        starts_from=(
            datetime.combine(filters.since, time.min, UTC) - timedelta(days=1)
            if filters.since
            else None
        ),
        starts_before=(
            datetime.combine(filters.until, time.min, UTC) + timedelta(days=2)
            if filters.until
            else None
        ),
    )
    authorities: dict[UUID, Authority] = {}
    for authority_id in dict.fromkeys(c.meeting.authority_id for c in candidates):
        authority = await get_authority(authority_id)
        if authority is not None:
            authorities[authority_id] = authority
    entries = []
    for candidate in candidates:
        meeting = candidate.meeting
        authority = authorities.get(meeting.authority_id)
        if authority is None or not _in_dates(meeting, authority, filters):
            continue
        reasons = _reasons(candidate, authority, now)
        if not reasons:
            continue
        due = (
            meeting.publication_due(authority.policy.publication_deadline_days)
            if meeting.publication_state in _UNPUBLISHED
            else None
        )
        entries.append(_Entry(candidate, authority, reasons, due))
    if filters.reason is QueueReason.INCOMPLETE:
        await _check_records(entries)
    if filters.reason is not None:
        entries = [e for e in entries if filters.reason in e.reasons]
    counts = Counter(e.candidate.meeting.official_id for e in entries)
    names = {e.candidate.meeting.official_id: e.candidate.official_name for e in entries}
    if filters.official_id is not None:
        entries = [e for e in entries if e.candidate.meeting.official_id == filters.official_id]
    entries.sort(key=lambda e: e.sort_key)
    start = max(offset, 0)
    page = entries[start : start + max(limit, 0)]
    await _check_records(page)
    return QueuePage(
        items=[_item(entry, now) for entry in page],
        total=len(entries),
        counts_per_official=sorted(
            ((official, names[official], count) for official, count in counts.items()),
            key=lambda row: (-row[2], row[1], str(row[0])),
        ),
    )

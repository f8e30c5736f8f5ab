"""The review queue on both engines: why each meeting is in it, the order of urgency, filters,
counts per official, scoping to authorities and to one official, pagination."""

from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from uuid import UUID

from piccolo.engine.base import Engine

from register.domain.calendar_data import CalendarData
from register.domain.classification import Classification
from register.domain.collegiality import CollegialityRecord
from register.domain.kinds import ClassificationKind, LegalGround, PublicationState, Visibility
from register.domain.meeting import Meeting, TimeSpan
from register.domain.official import Official
from register.services.publication import Actor, correct, publish
from register.services.record_form import RecordForm
from register.services.review import QueueFilters, QueueItem, QueueReason, review_queue
from register.store.repositories import calendar_sync, meetings
from register.store.repositories.authorities import save_authority
from register.store.repositories.officials import save_official
from tests import factories
from tests.stored import StoredRegister, store_register

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
ACTOR = Actor(label="editrice")
UNKNOWN = Classification(kind=ClassificationKind.UNKNOWN, confidence=0.3)

LATE, CHANGED, CANCELLED = QueueReason.LATE, QueueReason.CHANGED, QueueReason.CANCELLED
INCOMPLETE, TO_REVIEW = QueueReason.INCOMPLETE, QueueReason.TO_REVIEW


class Queue(NamedTuple):
    stored: StoredRegister
    ids: dict[str, UUID]


async def _add(
    stored: StoredRegister,
    starts_at: datetime,
    *,
    official: Official | None = None,
    complete: bool = False,
    **overrides: Any,
) -> Meeting:
    rep = stored.representative
    values: dict[str, Any] = {
        "when": TimeSpan(starts_at=starts_at, ends_at=starts_at + HOUR),
        "classification": factories.interest_classification(rep),
        "record": (
            factories.complete_record(stored.owner, stored.colleague, rep)
            if complete
            else CollegialityRecord()
        ),
        "calendar": CalendarData(summary=f"Agenda {starts_at:%d/%m %H:%M}"),
    }
    owner = official or stored.owner
    return await meetings.add_meeting(
        factories.meeting(owner.authority_id, owner.id, **(values | overrides))
    )


async def _published(stored: StoredRegister, starts_at: datetime, at: datetime) -> Meeting:
    meeting = await _add(stored, starts_at, complete=True)
    return await publish(meeting.id, lock_version=0, actor=ACTOR, now=at)


async def _calendar_changes(meeting: Meeting, at: datetime, **changes: Any) -> None:
    """What the sync writes when the calendar event changes."""
    await calendar_sync.update_from_calendar(
        meeting.id,
        meeting.model_copy(update=changes),
        href="event.ics",
        fingerprint=f"changed at {at}",
        now=at,
    )


async def _queue() -> Queue:
    """Seven meetings in the queue and six that are not, around NOW (deadline: 15 days)."""
    stored = await store_register()
    ids: dict[str, UUID] = {}
    ids["late_old"] = (await _add(stored, NOW - 40 * DAY)).id
    ids["late_recent"] = (await _add(stored, NOW - 20 * DAY, complete=True)).id
    changed = await _published(stored, NOW - 12 * DAY, NOW - 10 * DAY)
    await _calendar_changes(changed, NOW - 1 * DAY, when=TimeSpan(starts_at=NOW - 12 * DAY + HOUR))
    ids["changed"] = changed.id
    cancelled = await _published(stored, NOW - 11 * DAY, NOW - 10 * DAY)
    await calendar_sync.cancel_occurrences([cancelled.id], NOW - 2 * DAY)
    ids["cancelled"] = cancelled.id
    ids["incomplete_soon"] = (await _add(stored, NOW + 1 * DAY)).id
    # 23:30 UTC is the next day in Paris.
    unknown_start = datetime(2026, 3, 23, 23, 30, tzinfo=UTC)
    ids["unknown"] = (await _add(stored, unknown_start, classification=UNKNOWN)).id
    ids["colleague"] = (
        await _add(stored, NOW + 5 * DAY, official=stored.colleague, classification=UNKNOWN)
    ).id

    # Not in the queue.
    await _published(stored, NOW - 30 * DAY, NOW - 20 * DAY)
    changed_before = await _add(stored, NOW - 14 * DAY, complete=True)
    await _calendar_changes(changed_before, NOW - 13 * DAY, calendar=CalendarData(summary="X"))
    await publish(changed_before.id, lock_version=0, actor=ACTOR, now=NOW - 12 * DAY)
    await _add(stored, NOW - 30 * DAY, exemption_ground=LegalGround.SECURITY)
    await _add(
        stored, NOW - 30 * DAY, calendar=CalendarData(summary="", visibility=Visibility.PRIVATE)
    )
    await _add(
        stored,
        NOW - 30 * DAY,
        classification=Classification(kind=ClassificationKind.INTERNAL, confidence=0.9),
    )
    cancelled_draft = await _add(stored, NOW - 30 * DAY)
    await calendar_sync.cancel_occurrences([cancelled_draft.id], NOW - 29 * DAY)
    return Queue(stored, ids)


def _names(queue: Queue, items: list[QueueItem]) -> list[str]:
    by_id = {meeting_id: name for name, meeting_id in queue.ids.items()}
    return [by_id[item.meeting_id] for item in items]


ORDER = [
    "late_old",
    "late_recent",
    "cancelled",
    "changed",
    "incomplete_soon",
    "unknown",
    "colleague",
]


async def test_each_reason_most_urgent_first(db: Engine) -> None:
    queue = await _queue()

    page = await review_queue(authority_ids=None, now=NOW)

    assert _names(queue, page.items) == ORDER
    assert page.total == 7
    assert [(item.reasons, item.overdue_days) for item in page.items] == [
        ((LATE, INCOMPLETE, TO_REVIEW), 25),
        ((LATE, TO_REVIEW), 5),
        ((CANCELLED,), 0),
        ((CHANGED,), 0),
        ((INCOMPLETE, TO_REVIEW), 0),
        ((TO_REVIEW,), 0),
        ((TO_REVIEW,), 0),
    ]
    assert [item.due_at for item in page.items] == [
        NOW - 25 * DAY + HOUR,
        NOW - 5 * DAY + HOUR,
        None,
        None,
        NOW + 16 * DAY + HOUR,
        datetime(2026, 4, 8, 0, 30, tzinfo=UTC),
        NOW + 20 * DAY + HOUR,
    ]
    stored = queue.stored
    first = page.items[0]
    assert first == QueueItem(
        meeting_id=queue.ids["late_old"],
        official_id=stored.owner.id,
        official_name="Marie Durand",
        authority_id=stored.authority.id,
        authority_name="Ville de Test",
        starts_at=NOW - 40 * DAY,
        timezone="Europe/Paris",
        summary="Agenda 08/02 09:00",
        classification_kind=ClassificationKind.INTEREST_REPRESENTATIVE,
        publication_state=PublicationState.DRAFT,
        reasons=(LATE, INCOMPLETE, TO_REVIEW),
        due_at=NOW - 25 * DAY + HOUR,
        overdue_days=25,
        lock_version=0,
    )
    changed = page.items[3]
    assert (changed.publication_state, changed.lock_version) == (PublicationState.PUBLISHED, 2)
    assert changed.starts_at == NOW - 12 * DAY + HOUR
    assert page.items[5].classification_kind is ClassificationKind.UNKNOWN
    assert page.counts_per_official == [
        (stored.owner.id, "Marie Durand", 6),
        (stored.colleague.id, "Paul Petit", 1),
    ]


async def test_a_correction_after_the_calendar_change_takes_a_meeting_out(db: Engine) -> None:
    queue = await _queue()
    changed = await meetings.get_meeting(queue.ids["changed"])
    assert changed is not None
    await correct(
        changed.id,
        RecordForm.from_meeting(changed),
        lock_version=changed.lock_version,
        reason="Horaire modifié",
        actor=ACTOR,
        now=NOW,
    )

    page = await review_queue(authority_ids=None, now=NOW)
    assert "changed" not in _names(queue, page.items)
    assert page.total == 6


async def test_filters_by_reason_state_official_and_local_dates(db: Engine) -> None:
    queue = await _queue()
    stored = queue.stored

    async def listed(**filters: Any) -> list[str]:
        page = await review_queue(authority_ids=None, filters=QueueFilters(**filters), now=NOW)
        assert page.total == len(page.items)
        return _names(queue, page.items)

    assert await listed(reason=LATE) == ["late_old", "late_recent"]
    assert await listed(reason=INCOMPLETE) == ["late_old", "incomplete_soon"]
    assert await listed(reason=CANCELLED) == ["cancelled"]
    assert await listed(reason=CHANGED) == ["changed"]
    assert await listed(state=PublicationState.PUBLISHED) == ["cancelled", "changed"]
    assert await listed(state=PublicationState.READY) == []
    assert await listed(official_id=stored.colleague.id) == ["colleague"]
    assert await listed(since=date(2026, 3, 24), until=date(2026, 3, 24)) == ["unknown"]
    assert await listed(since=date(2026, 3, 23), until=date(2026, 3, 23)) == []
    assert await listed(since=date(2026, 3, 1)) == [
        "cancelled",
        "changed",
        "incomplete_soon",
        "unknown",
        "colleague",
    ]
    assert await listed(until=date(2026, 3, 1)) == ["late_old", "late_recent"]
    assert await listed(reason=TO_REVIEW, official_id=stored.owner.id) == [
        "late_old",
        "late_recent",
        "incomplete_soon",
        "unknown",
    ]


async def test_counts_per_official_ignore_the_official_filter_but_not_the_others(
    db: Engine,
) -> None:
    queue = await _queue()
    stored = queue.stored

    page = await review_queue(
        authority_ids=None,
        filters=QueueFilters(official_id=stored.colleague.id, reason=TO_REVIEW),
        now=NOW,
    )

    assert _names(queue, page.items) == ["colleague"]
    assert page.counts_per_official == [
        (stored.owner.id, "Marie Durand", 4),
        (stored.colleague.id, "Paul Petit", 1),
    ]
    incomplete = await review_queue(
        authority_ids=None, filters=QueueFilters(reason=INCOMPLETE), now=NOW
    )
    assert incomplete.counts_per_official == [(stored.owner.id, "Marie Durand", 2)]


async def test_editors_see_only_their_authorities(db: Engine) -> None:
    queue = await _queue()
    other = factories.authority(slug="autre-ville", name="Autre Ville", siren="210000002")
    await save_authority(other)
    mayor = factories.official(other.id, slug="luc-bon", full_name="Luc Bon")
    await save_official(mayor)
    theirs = await meetings.add_meeting(
        factories.meeting(other.id, mayor.id, classification=UNKNOWN)
    )
    here = queue.stored.authority.id

    mine = await review_queue(authority_ids=[here], now=NOW)
    everyone = await review_queue(authority_ids=None, now=NOW)
    both = await review_queue(authority_ids=[here, other.id], now=NOW)
    only_theirs = await review_queue(authority_ids=[other.id], now=NOW)
    nobody = await review_queue(authority_ids=[], now=NOW)

    assert _names(queue, mine.items) == ORDER
    assert everyone.total == both.total == 8
    assert theirs.id in [item.meeting_id for item in everyone.items]
    assert [(i.meeting_id, i.authority_name) for i in only_theirs.items] == [
        (theirs.id, "Autre Ville")
    ]
    assert only_theirs.counts_per_official == [(mayor.id, "Luc Bon", 1)]
    assert (nobody.items, nobody.total, nobody.counts_per_official) == ([], 0, [])


async def test_an_official_sees_only_their_own_meetings(db: Engine) -> None:
    queue = await _queue()
    stored = queue.stored

    page = await review_queue(
        authority_ids=[stored.authority.id], official_id=stored.colleague.id, now=NOW
    )
    other_filter = await review_queue(
        authority_ids=[stored.authority.id],
        official_id=stored.colleague.id,
        filters=QueueFilters(official_id=stored.owner.id),
        now=NOW,
    )

    assert _names(queue, page.items) == ["colleague"]
    assert page.counts_per_official == [(stored.colleague.id, "Paul Petit", 1)]
    assert (other_filter.items, other_filter.total) == ([], 0)


async def test_pages_follow_the_order_and_keep_the_total(db: Engine) -> None:
    queue = await _queue()

    pages = [
        await review_queue(authority_ids=None, now=NOW, limit=3, offset=offset)
        for offset in (0, 3, 6, 9)
    ]

    assert [_names(queue, page.items) for page in pages] == [
        ORDER[0:3],
        ORDER[3:6],
        ORDER[6:],
        [],
    ]
    assert {page.total for page in pages} == {7}
    # Items past the first page get their reasons too, `incomplete` included.
    assert pages[1].items[1].reasons == (INCOMPLETE, TO_REVIEW)

"""The public register's one read path: filters, full-text search, keyset pagination, history,
log entries and figures, on both engines — and the projection rebuilt from the log."""

from datetime import date, timedelta
from uuid import UUID

import pytest
from piccolo.engine.base import Engine

from register.domain.kinds import LegalGround, MeetingFormat, PublicationState
from register.queries import (
    InvalidCursorError,
    MeetingFilter,
    MeetingSort,
    count_meetings,
    iter_meetings,
    log_action,
    log_entries,
    meeting_history,
    meetings_per_organisation,
    published_meeting,
    register_summary,
    register_version,
    search_meetings,
)
from register.services.publication import withdraw
from register.store.repositories import meetings
from register.store.repositories.public_register import rebuild_public_register
from tests import factories
from tests.published import ACTOR, NOW, register_of_five


async def test_filters_mean_the_same_thing_for_counts_and_pages(db: Engine) -> None:
    stored, published = await register_of_five()

    everything = await search_meetings(MeetingFilter())
    cycling = await search_meetings(MeetingFilter(q="pistes CYCLABLES"))
    by_area = await count_meetings(MeetingFilter(policy_area="mobilites"))
    video = await count_meetings(MeetingFilter(format=MeetingFormat.VIDEO))
    unregistered = await search_meetings(MeetingFilter(hatvp_registered=False))
    organisation = await count_meetings(MeetingFilter(organisation=stored.representative.id))
    period = await count_meetings(MeetingFilter(since=date(2026, 3, 3), until=date(2026, 3, 4)))
    elsewhere = await count_meetings(MeetingFilter(authority=factories.authority().id))

    assert everything.total == 5
    assert [m.record.id for m in cycling.items] == [published[1].id]
    assert by_area == 1
    assert video == 1
    assert [m.record.id for m in unregistered.items] == [published[1].id]
    assert organisation == 4
    assert period == 2
    assert elsewhere == 0
    assert await count_meetings(MeetingFilter(q="velo")) == 1  # accents and case ignored
    assert await count_meetings(MeetingFilter(q="marie durand")) == 5  # the official's name


async def test_search_words_match_the_start_of_words_only(db: Engine) -> None:
    """`q` is the same prefix query on both engines' full-text indexes: each word must start a
    word of the meeting's text, in any order, whatever its accents and case."""
    _, published = await register_of_five()
    cycling = published[1].id

    async def found(q: str) -> list[UUID]:
        return [m.record.id for m in (await search_meetings(MeetingFilter(q=q))).items]

    assert await found("cyclab") == [cycling]
    assert await found("CYCLABLES pist") == [cycling]  # any order
    assert await found("yclables") == []  # inside a word: no
    assert await found("cyclables zzz") == []  # every word must match
    assert len(await found("m")) == 5  # one letter: "marie", in every meeting


async def test_cursor_pagination_is_stable_and_complete(db: Engine) -> None:
    _, published = await register_of_five()

    seen = []
    cursor = None
    while True:
        page = await search_meetings(MeetingFilter(), limit=2, cursor=cursor)
        assert page.total == 5
        seen.extend(m.record.id for m in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    oldest = [
        m.record.id async for m in iter_meetings(MeetingFilter(), sort=MeetingSort.OLDEST, batch=2)
    ]

    assert len(seen) == len(set(seen)) == 5
    assert seen == list(reversed(oldest))
    assert seen[-1] == published[0].id
    with pytest.raises(InvalidCursorError):
        await search_meetings(MeetingFilter(), cursor="not-a-cursor")
    first = await search_meetings(MeetingFilter(), limit=1)
    assert first.next_cursor is not None
    with pytest.raises(InvalidCursorError):
        await search_meetings(MeetingFilter(), sort=MeetingSort.OLDEST, cursor=first.next_cursor)


def test_a_filter_refuses_what_it_cannot_mean() -> None:
    with pytest.raises(ValueError, match="until is before since"):
        MeetingFilter(since=date(2026, 3, 5), until=date(2026, 3, 1))
    with pytest.raises(ValueError, match="state must be"):
        MeetingFilter(state=PublicationState.DRAFT)
    assert MeetingFilter(q="gare", hatvp_registered=False).params() == {
        "q": "gare",
        "hatvp_registered": "false",
    }


async def test_history_and_log_entries_follow_a_withdrawal(db: Engine) -> None:
    _, published = await register_of_five()
    target = published[0]
    stored = await meetings.get_meeting(target.id)
    assert stored is not None
    await withdraw(
        target.id,
        lock_version=stored.lock_version,
        reason="Saisie dans le mauvais agenda.",
        legal_ground=LegalGround.OUT_OF_SCOPE,
        actor=ACTOR,
        now=NOW + timedelta(days=1),
    )

    current = await published_meeting(target.id)
    history = await meeting_history(target.id)
    latest = await log_entries(MeetingFilter(), limit=3)
    of_target = await log_entries(MeetingFilter(q="pistes"))
    version = await register_version()

    assert current is not None
    assert current.publication.state is PublicationState.WITHDRAWN
    assert current.publication.version == 2
    assert [(v.publication.version, log_action(v).value) for v in history] == [
        (1, "publish"),
        (2, "withdraw"),
    ]
    assert history[1].publication.reason == "Saisie dans le mauvais agenda."
    assert latest[0].record.id == target.id
    assert log_action(latest[0]).value == "withdraw"
    assert [m.record.id for m in of_target] == [published[1].id]
    assert version.last_seq == 6
    assert await count_meetings(MeetingFilter(state=PublicationState.WITHDRAWN)) == 1
    assert await published_meeting(factories.authority().id) is None


async def test_figures_and_a_rebuilt_projection_agree_with_the_log(db: Engine) -> None:
    stored, _ = await register_of_five()

    summary = await register_summary()
    top = await meetings_per_organisation(MeetingFilter())
    before = [m.model_dump() async for m in iter_meetings(MeetingFilter())]
    rebuilt = await rebuild_public_register()
    after = [m.model_dump() async for m in iter_meetings(MeetingFilter())]

    assert (summary.published_meetings, summary.organisations, summary.officials) == (5, 2, 1)
    assert summary.log_entries == 5
    assert top[0] == (stored.representative.id, stored.representative.name, 4)
    assert rebuilt == 5
    assert after == before

"""Full-text search reads an FTS5 index on SQLite (issue 7: `LIKE` read the whole table to count
matches) and `LIKE` on PostgreSQL; both must find the same meetings, and the index must follow
corrections — on SQLite and PostgreSQL."""

from datetime import UTC, datetime

from piccolo.engine.base import Engine

from register.queries import MeetingFilter, count_meetings, search_meetings
from register.services.publication import Actor, correct
from register.services.record_form import RecordForm
from register.store.repositories import meetings
from tests.published import register_of_five

LATER = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


async def _subjects(q: str) -> list[str]:
    page = await search_meetings(MeetingFilter(q=q), limit=50)
    assert page.total == len(page.items) == await count_meetings(MeetingFilter(q=q))
    return [meeting.record.subject for meeting in page.items]


async def test_every_word_must_start_a_word_whatever_its_case_and_accents(db: Engine) -> None:
    await register_of_five()  # one subject about cycle lanes, with the cyclists' association

    assert await _subjects("PISTES cycl") == ["Pistes cyclables du boulevard de la Loire"]
    assert await _subjects("vélo") == ["Pistes cyclables du boulevard de la Loire"]  # its name
    assert await _subjects("istes") == []  # inside a word: no match
    assert await _subjects("pistes gare") == []  # every word must match


async def test_a_correction_is_found_by_its_new_words_only(db: Engine) -> None:
    _, published = await register_of_five()
    target = published[1]
    stored = await meetings.get_meeting(target.id)
    assert stored is not None
    form = RecordForm.from_meeting(stored).model_copy(
        update={"subject": "Stationnement des trottinettes place Hoche"}
    )

    await correct(
        target.id,
        form,
        lock_version=stored.lock_version,
        reason="Objet corrigé.",
        actor=Actor(label="test-editor"),
        now=LATER,
    )

    assert await _subjects("trottinet") == ["Stationnement des trottinettes place Hoche"]
    assert await _subjects("pistes cyclables") == []

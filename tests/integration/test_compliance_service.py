"""The compliance report from stored meetings, on SQLite and PostgreSQL: figures per authority
and per official, each authority under its own policy, the authority and period filters."""

from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from uuid import UUID

import pytest
from piccolo.engine.base import Engine

from register.domain.authority import Authority
from register.domain.calendar_data import CalendarData
from register.domain.classification import Classification
from register.domain.collegiality import CollegialityRecord
from register.domain.compliance import ComplianceFigures
from register.domain.kinds import (
    ClassificationKind,
    LegalGround,
    MeetingStatus,
    OfficialKind,
    Visibility,
)
from register.domain.meeting import Meeting, TimeSpan
from register.domain.official import Official
from register.domain.policy import Policy
from register.domain.publication import PublicationAction
from register.services.compliance import compliance_report
from register.services.publication import Actor, apply_action
from register.store.ids import new_id
from register.store.repositories import authorities, meetings, officials
from register.store.repositories.compliance import counted_meeting_batches
from register.store.repositories.errors import NotFoundError
from tests import factories
from tests.stored import StoredRegister, store_register

ACTOR = Actor(label="test-editor")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
NO_EXEMPTION = dict.fromkeys(LegalGround, 0)


class Stored(NamedTuple):
    test: StoredRegister  # "Ville de Test", 15 days to publish
    third: Official  # an official of Ville de Test without meetings
    other: Authority  # "Métropole du Val", 5 days to publish
    other_official: Official
    counted: list[Meeting]  # Ville de Test's counted meetings (exemptions included)


def _at(day: int, month: int = 3, hour: int = 9) -> TimeSpan:
    start = datetime(2026, month, day, hour, 0, tzinfo=UTC)
    return TimeSpan(starts_at=start, ends_at=start + timedelta(hours=1))


async def _add(register: StoredRegister, owner: Official, **overrides: object) -> Meeting:
    values: dict[str, object] = {
        "record": factories.complete_record(owner, register.colleague, register.representative),
        "classification": factories.interest_classification(register.representative),
    }
    return await meetings.add_meeting(
        factories.meeting(owner.authority_id, owner.id, **(values | overrides))
    )


async def _publish(meeting: Meeting, after_end: timedelta) -> None:
    assert meeting.when.ends_at is not None
    moment = meeting.when.ends_at + after_end
    await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=moment)
    await apply_action(meeting.id, PublicationAction.PUBLISH, actor=ACTOR, now=moment)


async def _store() -> Stored:
    """Ville de Test: the mayor published one meeting on time (10 days) and one late (20 days)
    and has one not yet due; her director of cabinet has one incomplete and late, and one
    exempted; private, cancelled and institutional meetings do not count. Métropole du Val
    published one meeting after 10 days, late under its 5-day deadline."""
    test = await store_register()
    owner, colleague = test.owner, test.colleague
    third = factories.official(
        test.authority.id,
        slug="zoe-zidane",
        full_name="Zoé Zidane",
        kind=OfficialKind.STAFF,
        role="Conseillère",
    )
    await officials.save_official(third)
    on_time = await _add(test, owner, when=_at(10))
    late = await _add(test, owner, when=_at(12))
    # 22:30 UTC on 31 March is 1 April in Paris.
    incomplete = await _add(
        test,
        colleague,
        when=TimeSpan(starts_at=datetime(2026, 3, 31, 22, 30, tzinfo=UTC)),
        record=CollegialityRecord(subject="Point"),
    )
    exempted = await _add(test, colleague, when=_at(5, month=4))
    exempted = await meetings.update_meeting(
        exempted.model_copy(update={"exemption_ground": LegalGround.SECURITY})
    )
    not_yet_due = await _add(test, owner, when=_at(28, month=5))
    await _add(test, owner, when=_at(11), calendar=CalendarData(visibility=Visibility.PRIVATE))
    await _add(test, owner, when=_at(13), status=MeetingStatus.CANCELLED)
    await _add(
        test,
        owner,
        when=_at(14),
        classification=Classification(kind=ClassificationKind.INSTITUTIONAL, confidence=1.0),
    )
    await _publish(on_time, timedelta(days=10))
    await _publish(late, timedelta(days=20))

    other = factories.authority(
        slug="metropole-du-val",
        name="Métropole du Val",
        siren="200000002",
        policy=Policy(publication_deadline_days=5),
    )
    await authorities.save_authority(other)
    other_official = factories.official(other.id, slug="ana-lima", full_name="Ana Lima")
    await officials.save_official(other_official)
    # Ana Lima and a departmental director: two present, as the default policy asks.
    elsewhere = await meetings.add_meeting(
        factories.meeting(
            other.id,
            other_official.id,
            when=_at(10),
            classification=factories.interest_classification(test.representative),
            record=factories.complete_record(
                other_official, other_official, test.representative
            ).model_copy(update={"officials_present": (other_official.id,)}),
        )
    )
    await _publish(elsewhere, timedelta(days=10))
    return Stored(
        test,
        third,
        other,
        other_official,
        [on_time, late, incomplete, exempted, not_yet_due],
    )


def _figures(rows: list[ComplianceFigures]) -> dict[str, tuple[object, ...]]:
    return {
        row.name: (
            row.interest_meetings,
            row.due,
            row.published,
            row.on_time,
            row.on_time_share,
            row.median_delay_days,
            row.complete_records,
            row.complete_share,
        )
        for row in rows
    }


async def test_figures_per_authority_and_per_official(db: Engine) -> None:
    stored = await _store()

    report = await compliance_report(now=NOW)

    assert [(row.kind, row.name) for row in report.authorities] == [
        ("authority", "Métropole du Val"),
        ("authority", "Ville de Test"),
    ]
    assert _figures(report.authorities) == {
        "Ville de Test": (4, 3, 2, 1, 1 / 3, 15.0, 3, 0.75),
        "Métropole du Val": (1, 1, 1, 0, 0.0, 10.0, 1, 1.0),
    }
    test, other = report.authorities[1], report.authorities[0]
    assert test.exemptions == NO_EXEMPTION | {LegalGround.SECURITY: 1}
    assert other.exemptions == NO_EXEMPTION
    assert (test.id, test.authority_id, test.authority_name) == (
        stored.test.authority.id,
        stored.test.authority.id,
        "Ville de Test",
    )

    assert [(row.authority_name, row.name) for row in report.officials] == [
        ("Métropole du Val", "Ana Lima"),
        ("Ville de Test", "Marie Durand"),
        ("Ville de Test", "Paul Petit"),
        ("Ville de Test", "Zoé Zidane"),
    ]
    assert _figures(report.officials) == {
        "Ana Lima": (1, 1, 1, 0, 0.0, 10.0, 1, 1.0),
        "Marie Durand": (3, 2, 2, 1, 0.5, 15.0, 3, 1.0),
        "Paul Petit": (1, 1, 0, 0, 0.0, None, 0, 0.0),
        "Zoé Zidane": (0, 0, 0, 0, None, None, 0, None),
    }
    by_name = {row.name: row for row in report.officials}
    assert by_name["Paul Petit"].exemptions == NO_EXEMPTION | {LegalGround.SECURITY: 1}
    assert by_name["Marie Durand"].exemptions == NO_EXEMPTION
    assert by_name["Zoé Zidane"].id == stored.third.id
    assert by_name["Zoé Zidane"].authority_id == stored.test.authority.id
    assert report.now == NOW
    assert (report.since, report.until) == (None, None)


async def test_a_report_filtered_by_authority_leaves_the_others_out(db: Engine) -> None:
    stored = await _store()

    only_test = await compliance_report(authority_ids=[stored.test.authority.id], now=NOW)
    only_other = await compliance_report(authority_ids=[stored.other.id], now=NOW)

    assert [row.name for row in only_test.authorities] == ["Ville de Test"]
    assert _figures(only_test.authorities)["Ville de Test"] == (4, 3, 2, 1, 1 / 3, 15.0, 3, 0.75)
    assert [row.name for row in only_test.officials] == [
        "Marie Durand",
        "Paul Petit",
        "Zoé Zidane",
    ]
    # Published after 10 days: late under Métropole du Val's own five-day deadline.
    assert _figures(only_other.authorities) == {"Métropole du Val": (1, 1, 1, 0, 0.0, 10.0, 1, 1.0)}
    assert [row.name for row in only_other.officials] == ["Ana Lima"]


async def test_the_period_counts_meetings_by_their_start_in_the_authority_time_zone(
    db: Engine,
) -> None:
    stored = await _store()
    ids = [stored.test.authority.id]

    march = await compliance_report(
        authority_ids=ids, since=date(2026, 3, 11), until=date(2026, 3, 31), now=NOW
    )
    to_april_first = await compliance_report(
        authority_ids=ids, since=date(2026, 3, 11), until=date(2026, 4, 1), now=NOW
    )
    april = await compliance_report(authority_ids=ids, since=date(2026, 4, 1), now=NOW)

    # Only the late one: 10 March is before the period, 31 March 22:30 UTC is 1 April in Paris.
    assert _figures(march.authorities)["Ville de Test"] == (1, 1, 1, 0, 0.0, 20.0, 1, 1.0)
    assert _figures(to_april_first.authorities)["Ville de Test"] == (
        2, 2, 1, 0, 0.0, 20.0, 1, 0.5,
    )  # fmt: skip
    assert march.authorities[0].exemptions == NO_EXEMPTION
    # From 1 April: the incomplete one, the exempted one, and the one not yet due.
    assert _figures(april.authorities)["Ville de Test"] == (2, 1, 0, 0, 0.0, None, 1, 0.5)
    assert april.authorities[0].exemptions == NO_EXEMPTION | {LegalGround.SECURITY: 1}
    assert (march.since, march.until) == (date(2026, 3, 11), date(2026, 3, 31))


async def test_meetings_are_read_in_batches_once_each(db: Engine) -> None:
    stored = await _store()
    wanted = sorted(m.id for m in stored.counted)

    sizes: dict[int, list[int]] = {}
    seen: dict[int, list[UUID]] = {}
    for size in (2, 3, 10):
        batches = [
            b async for b in counted_meeting_batches([stored.test.authority.id], batch_size=size)
        ]
        sizes[size] = [len(batch) for batch in batches]
        seen[size] = [meeting.id for batch in batches for meeting in batch]

    assert sizes == {2: [2, 2, 1], 3: [3, 2], 10: [5]}
    # Each meeting once, in the order of their ids.
    assert seen == {2: wanted, 3: wanted, 10: wanted}
    # The collegiality record comes with each meeting.
    [mayor_on_time] = [
        m
        for b in [b async for b in counted_meeting_batches([stored.test.authority.id])]
        for m in b
        if m.id == stored.counted[0].id
    ]
    assert mayor_on_time.record.officials_present == (
        stored.test.owner.id,
        stored.test.colleague.id,
    )
    assert [p.representative_id for p in mayor_on_time.record.representatives] == [
        stored.test.representative.id
    ]


async def test_an_unknown_authority_id_is_refused(db: Engine) -> None:
    await _store()
    missing = new_id()

    with pytest.raises(NotFoundError, match=str(missing)):
        await compliance_report(authority_ids=[missing], now=NOW)

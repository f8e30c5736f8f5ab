"""The statistics are counted by the database (issue 7: the per-month grouping and the delays
were read meeting by meeting into Python); these pin the edges of the SQL versions — on SQLite
and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from piccolo.engine.base import Engine

from register.queries import MeetingFilter
from register.statistics import meetings_per_month, publication_delays
from tests.published import NOW, publish_meeting
from tests.stored import store_register


async def test_delays_fall_in_their_band_at_its_exact_bound_and_the_median_is_of_the_middle_two(
    db: Engine,
) -> None:
    stored = await store_register()
    for days in (1, 3, 5, 7 + 1 / 1440):  # the meeting ends this many days before publication
        await publish_meeting(stored, NOW - timedelta(days=days, hours=1))

    delays = await publication_delays(MeetingFilter())
    authority_only = await publication_delays(MeetingFilter(authority=stored.authority.id))

    assert delays.meetings == 4
    assert dict(delays.bands) == {"0-1": 1, "1-7": 2, "7-15": 1, "15-30": 0, "30+": 0}
    assert delays.median_days == pytest.approx(4.0, abs=1e-6)
    assert authority_only == delays


async def test_an_odd_number_of_delays_has_the_middle_one_and_none_has_no_median(
    db: Engine,
) -> None:
    stored = await store_register()
    for days in (2, 20, 40):
        await publish_meeting(stored, NOW - timedelta(days=days, hours=1))

    delays = await publication_delays(MeetingFilter())
    nothing = await publication_delays(MeetingFilter(policy_area="aucun"))

    assert delays.median_days == pytest.approx(20.0, abs=1e-6)
    assert dict(delays.bands) == {"0-1": 0, "1-7": 1, "7-15": 0, "15-30": 1, "30+": 1}
    assert (nothing.meetings, nothing.median_days) == (0, None)


async def test_months_are_paris_months_on_either_side_of_a_clock_change(db: Engine) -> None:
    stored = await store_register()
    winter_night = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # 1 February, 00:30 in Paris
    summer_night = datetime(2026, 4, 30, 22, 30, tzinfo=UTC)  # 1 May, 00:30 in Paris
    summer_evening = datetime(2026, 4, 30, 21, 30, tzinfo=UTC)  # 30 April, 23:30 in Paris
    for starts_at in (winter_night, summer_night, summer_evening):
        await publish_meeting(stored, starts_at)

    months = await meetings_per_month(MeetingFilter())

    assert [(m.month, m.meetings) for m in months] == [
        ("2026-02", 1),
        ("2026-03", 0),
        ("2026-04", 1),
        ("2026-05", 1),
    ]

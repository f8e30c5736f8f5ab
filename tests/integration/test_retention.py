"""The retention policy on both engines, with a fixed clock: meetings never published lose their
private data once past their authority's period; published records and the log stay as they
were; the scheduled job and `register purge` apply it."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from piccolo.engine.base import Engine

from register.domain.calendar_data import CalendarData
from register.domain.collegiality import CollegialityRecord
from register.domain.meeting import TimeSpan
from register.services.retention import purge_expired
from register.services.schedule import run_schedule
from register.settings import Settings
from register.store.engine import make_engine
from register.store.migrate import migrate
from register.store.repositories import authorities, meetings, officials
from register.store.repositories.audit import events_for
from register.store.repositories.public_register import public_register_is_current
from register.store.repositories.publication_log import verify_log
from register.store.repositories.retention import set_retention_days
from tests import factories
from tests.cli.test_backup_cli import Invoke, invoke  # noqa: F401 - a fixture
from tests.published import publish_meeting
from tests.stored import store_register

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
LONG_AGO = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)  # 454 days before NOW
LAST_MONTH = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path, retention_days=365, **overrides)


async def test_meetings_never_published_lose_their_private_data_after_the_period(
    db: Engine, tmp_path: Path
) -> None:
    stored = await store_register()
    complete = factories.complete_record(stored.owner, stored.colleague, stored.representative)
    old_draft = await meetings.add_meeting(
        factories.meeting(
            stored.authority.id,
            stored.owner.id,
            when=TimeSpan(starts_at=LONG_AGO, ends_at=LONG_AGO + timedelta(hours=1)),
            record=complete,
            classification=factories.interest_classification(stored.representative),
        )
    )
    recent_draft = await meetings.add_meeting(
        factories.meeting(
            stored.authority.id,
            stored.owner.id,
            when=TimeSpan(starts_at=LAST_MONTH, ends_at=LAST_MONTH + timedelta(hours=1)),
        )
    )
    published = await publish_meeting(stored, LONG_AGO + timedelta(days=1))
    keeper = factories.authority(slug="garde-tout", name="Garde-Tout")
    await authorities.save_authority(keeper)
    keeper_mayor = factories.official(keeper.id, slug="eve-garde")
    await officials.save_official(keeper_mayor)
    kept_draft = await meetings.add_meeting(
        factories.meeting(
            keeper.id,
            keeper_mayor.id,
            when=TimeSpan(starts_at=LONG_AGO, ends_at=LONG_AGO + timedelta(hours=1)),
        )
    )
    assert await set_retention_days("garde-tout", 0)
    log_before = await verify_log()
    settings = _settings(tmp_path)

    dry = await purge_expired(settings, now=NOW, dry_run=True)
    assert [(r.authority, r.days, r.meetings) for r in dry] == [
        ("garde-tout", 0, 0),
        ("ville-test", 365, 1),
    ]
    untouched = await meetings.get_meeting(old_draft.id)
    assert untouched is not None
    assert untouched.calendar.attendees  # a dry run changes nothing

    done = await purge_expired(settings, now=NOW)
    assert [(r.authority, r.meetings) for r in done] == [("garde-tout", 0), ("ville-test", 1)]
    assert done[1].before == NOW - timedelta(days=365)

    purged = await meetings.get_meeting(old_draft.id)
    assert purged is not None
    assert purged.calendar == CalendarData()  # no text, organizer nor attendees left
    assert purged.record == CollegialityRecord()  # no draft, nobody listed as present
    assert purged.classification.reasons == ()
    assert purged.classification.kind is old_draft.classification.kind  # still counted
    assert purged.when == old_draft.when
    assert purged.lock_version == old_draft.lock_version + 1
    [event] = await events_for("meeting", str(old_draft.id))
    assert (event.actor, event.action, event.at) == ("retention-policy", "retention.purge", NOW)
    assert event.changes == {"retention_days": 365, "dated_before": "2025-06-01T03:00:00+00:00"}
    for kept in (recent_draft, kept_draft, published):
        stored_meeting = await meetings.get_meeting(kept.id)
        assert stored_meeting is not None
        assert stored_meeting.calendar == kept.calendar
        assert stored_meeting.record == kept.record
    assert await verify_log() == log_before
    assert await public_register_is_current()

    again = await purge_expired(settings, now=NOW + timedelta(days=1))
    assert [r.meetings for r in again] == [0, 0]  # already purged: nothing to do


async def test_the_scheduled_job_applies_the_policy(db: Engine, tmp_path: Path) -> None:
    stored = await store_register()
    old_draft = await meetings.add_meeting(
        factories.meeting(
            stored.authority.id,
            stored.owner.id,
            when=TimeSpan(starts_at=LONG_AGO, ends_at=LONG_AGO + timedelta(hours=1)),
        )
    )
    stop = asyncio.Event()
    settings = _settings(tmp_path, sync_interval=3600, sync_poll_seconds=1)
    job = asyncio.create_task(run_schedule(settings, stop, clock=lambda: NOW))
    try:
        async with asyncio.timeout(20):
            while not await events_for("meeting", str(old_draft.id)):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await job
    purged = await meetings.get_meeting(old_draft.id)
    assert purged is not None
    assert purged.calendar == CalendarData()


def test_the_commands_set_a_period_and_show_what_a_purge_would_do(
    tmp_path: Path,
    invoke: Invoke,  # noqa: F811 - the fixture imported above
) -> None:
    data = tmp_path / "data"
    asyncio.run(_old_draft_in_a_new_register(Settings(data_dir=data)))

    set_period = invoke("retention", "ville-test", "--days", "30", "--data-dir", str(data))
    dry_run = invoke("purge", "--dry-run", "--data-dir", str(data))
    purged = invoke("purge", "--data-dir", str(data))

    assert set_period.status == 0, set_period.stderr
    assert set_period.stdout == "ville-test: 30 days (own)\n"
    assert dry_run.status == 0, dry_run.stderr
    assert dry_run.stdout.startswith("ville-test: would purge 1 meeting(s) never published ")
    assert dry_run.stdout.endswith(" (30 days)\n")
    assert purged.stdout.startswith("ville-test: purged 1 meeting(s) never published ")
    assert "retention policy applied" in purged.stderr  # the log, apart from the report


async def _old_draft_in_a_new_register(settings: Settings) -> None:
    await migrate(make_engine(settings))
    stored = await store_register()
    await meetings.add_meeting(
        factories.meeting(
            stored.authority.id,
            stored.owner.id,
            when=TimeSpan(starts_at=LONG_AGO, ends_at=LONG_AGO + timedelta(hours=1)),
        )
    )

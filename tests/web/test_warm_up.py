"""A starting server computes the whole register's statistics figures in the background, so
that on a large register the first visitor of `/statistiques` does not wait for them."""

import asyncio
from pathlib import Path

from register import statistics
from register.queries import MeetingFilter, register_version
from register.settings import Settings
from register.store.engine import prepare_engine, use_engine
from register.store.migrate import migrate
from register.store.sqlite_busy import PatientSQLiteEngine
from register.web import create_app
from tests.published import register_of_five


async def test_a_starting_server_computes_the_statistics_figures(tmp_path: Path) -> None:
    engine = PatientSQLiteEngine(path=str(tmp_path / "register.sqlite3"))
    await prepare_engine(engine)
    await migrate(engine)
    use_engine(engine)
    _, published = await register_of_five()
    version = await register_version()
    key = (version.last_hash, version.last_seq, MeetingFilter().model_dump_json())
    app = create_app(Settings(data_dir=tmp_path, sync_interval=0, dumps_interval=0), engine=engine)

    async with app.lifespan():
        for _ in range(200):
            if key in statistics._kept._entries:
                break
            await asyncio.sleep(0.05)

    kept = statistics._kept._entries[key].value
    assert kept.summary.meetings == len(published)

"""Fixtures of the fault tests: one real Radicale server for the package, the fault-injecting
proxy in front of it, and a small register."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from piccolo.engine.base import Engine

from register.settings import Settings
from tests.faults.proxy import FaultProxy
from tests.servers import RadicaleServer, started
from tests.stored import StoredRegister, store_register


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    with started(RadicaleServer(tmp_path_factory.mktemp("radicale-faults"))) as server:
        yield server


@pytest.fixture(scope="session")
def running_proxy(radicale: RadicaleServer) -> Iterator[FaultProxy]:
    proxy = FaultProxy(radicale.base_url).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def proxy(running_proxy: FaultProxy) -> Iterator[FaultProxy]:
    """The proxy, without any fault at the start and the end of each test."""
    running_proxy.clear()
    running_proxy.seen.clear()
    running_proxy.huge_sent.clear()
    yield running_proxy
    running_proxy.clear()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
async def stored(db: Engine[Any]) -> StoredRegister:
    return await store_register()

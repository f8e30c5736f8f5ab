"""vdirsyncer, the peer: its CLI syncing the same calendar into a local folder of `.ics` files.

The configuration is generated in a temporary folder: one pair whose storages point straight at
the collections (`collections = null`), the CalDAV side read-only (the register never writes to
a calendar), the other a `filesystem` storage. `discover` runs non-interactively before the first
`sync`; only `sync` is timed, wall-clock, so its figure includes the start-up of its process
(Python, imports, reading the configuration), measured separately with `vdirsyncer --version`.
"""

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.bare import Account

ENVIRONMENT_VARIABLE = "BENCH_VDIRSYNCER"


class VdirsyncerError(RuntimeError):
    """vdirsyncer is missing or failed (its log is in the message)."""


def command() -> Path:
    """The vdirsyncer CLI: `$BENCH_VDIRSYNCER` if set, else the one beside this interpreter,
    else the first on PATH. It need not share the project's virtualenv: a virtualenv of its
    own keeps its dependencies (aiohttp, click…) from changing the project's."""
    if configured := os.environ.get(ENVIRONMENT_VARIABLE):
        return Path(configured)
    beside = Path(sys.executable).with_name("vdirsyncer")
    if beside.exists():
        return beside
    if found := shutil.which("vdirsyncer"):
        return Path(found)
    raise VdirsyncerError(
        "vdirsyncer not found: install it (pip install vdirsyncer, in a virtualenv of its own), "
        f"and set {ENVIRONMENT_VARIABLE} to its `vdirsyncer`; or pass --no-peer"
    )


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Vdirsyncer:
    """One pair (the calendar ↔ a local folder) with its configuration and status."""

    def __init__(self, folder: Path, account: Account) -> None:
        self.folder = folder
        self.account = account
        self.config = folder / "config"
        self.local = folder / "local"
        self.status = folder / "status"
        self.log = folder / "vdirsyncer.log"

    def write_config(self) -> None:
        credentials = ""
        if self.account.username:
            credentials = (
                f"username = {_quoted(self.account.username)}\n"
                f"password = {_quoted(self.account.password)}\n"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        self.config.write_text(
            "[general]\n"
            f"status_path = {_quoted(str(self.status) + '/')}\n"
            "\n"
            "[pair agenda]\n"
            'a = "agenda_remote"\n'
            'b = "agenda_local"\n'
            "collections = null\n"
            'conflict_resolution = "a wins"\n'
            "\n"
            "[storage agenda_remote]\n"
            'type = "caldav"\n'
            f"url = {_quoted(self.account.url)}\n"
            f"{credentials}"
            "read_only = true\n"
            "\n"
            "[storage agenda_local]\n"
            'type = "filesystem"\n'
            f"path = {_quoted(str(self.local) + '/')}\n"
            'fileext = ".ics"\n',
            encoding="utf-8",
        )

    def reset(self) -> None:
        """Forget everything synced: a first sync follows (fresh status, empty folder)."""
        shutil.rmtree(self.status, ignore_errors=True)
        shutil.rmtree(self.local, ignore_errors=True)
        self.local.mkdir(parents=True)
        self.write_config()
        self._run("discover")

    def sync(self) -> tuple[float, float]:
        """Wall-clock seconds of `vdirsyncer sync`, process start-up included, and the CPU
        seconds its process used."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds = self._run("sync")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return seconds, cpu

    def items(self) -> int:
        return sum(1 for _ in self.local.glob("*.ics"))

    def _run(self, *arguments: str) -> float:
        argv = [str(command()), "-c", str(self.config), *arguments]
        with self.log.open("ab") as log:
            started = time.perf_counter()
            finished = subprocess.run(  # noqa: S603 - the vdirsyncer CLI, fixed arguments
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, check=False
            )
            seconds = time.perf_counter() - started
        if finished.returncode != 0:
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-1500:]
            raise VdirsyncerError(f"{' '.join(arguments)} failed ({finished.returncode}): {tail}")
        return seconds


def startup_seconds() -> float:
    """Wall-clock seconds of `vdirsyncer --version`: its process start-up alone."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - the vdirsyncer CLI, fixed arguments
        [str(command()), "--version"], capture_output=True, check=True
    )
    return time.perf_counter() - started


def version() -> str:
    finished = subprocess.run(  # noqa: S603 - the vdirsyncer CLI, fixed arguments
        [str(command()), "--version"], capture_output=True, check=True, text=True
    )
    return finished.stdout.strip().rsplit(" ", 1)[-1]

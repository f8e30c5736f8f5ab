"""The bulk downloads: complete, consistent with the query layer, described by a data package
that Frictionless validates, regenerated only when something was published."""

import csv
import gzip
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from frictionless import Package, validate
from piccolo.engine.base import Engine

from register.domain.kinds import LegalGround
from register.open_data import CSV_HEADER
from register.services.dumps import (
    CSV_FILE,
    JSON_FILE,
    LOG_FILE,
    PACKAGE_FILE,
    dumps_directory,
    refresh_dumps,
)
from register.services.publication import withdraw
from register.store.repositories import meetings
from tests.published import ACTOR, NOW, publish_meeting, register_of_five

ROOT = Path(__file__).resolve().parents[2]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


async def test_the_dumps_hold_the_whole_register_and_validate(db: Engine, tmp_path: Path) -> None:
    stored, published = await register_of_five()
    target = await meetings.get_meeting(published[0].id)
    assert target is not None
    await withdraw(
        target.id,
        lock_version=target.lock_version,
        reason="Saisie dans le mauvais agenda.",
        legal_ground=LegalGround.OUT_OF_SCOPE,
        actor=ACTOR,
        now=NOW + timedelta(days=1),
    )

    assert await refresh_dumps(tmp_path, now=NOW) is True
    directory = dumps_directory(tmp_path)

    rows = _csv_rows(directory / CSV_FILE)
    assert tuple(rows[0].keys()) == CSV_HEADER
    assert [row["id"] for row in rows] == [str(m.id) for m in published]  # oldest first
    withdrawn = rows[0]
    assert (withdrawn["state"], withdrawn["version"], withdrawn["legal_ground"]) == (
        "withdrawn",
        "2",
        "out_of_scope",
    )
    assert withdrawn["starts_at"] == "2026-03-02T09:00:00+00:00"
    assert withdrawn["starts_at_local"] == "2026-03-02T10:00:00+01:00"  # Paris time
    cycling = rows[1]
    assert cycling["organisations"] == "Association Vélo en Ville"
    assert cycling["hatvp_registered"] == "false"
    with gzip.open(directory / JSON_FILE, "rt", encoding="utf-8") as file:
        documents = json.load(file)
    assert [d["id"] for d in documents] == [row["id"] for row in rows]
    assert documents[0]["publication"]["reason"] == "Saisie dans le mauvais agenda."
    with gzip.open(directory / LOG_FILE, "rt", encoding="utf-8") as file:
        log_lines = file.read().splitlines()
    assert len(log_lines) == 6
    checked = subprocess.run(  # noqa: ASYNC221 - a short check, nothing else runs meanwhile
        [sys.executable, str(ROOT / "scripts" / "verify_log.py")],
        input="\n".join(log_lines) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    package = json.loads((directory / PACKAGE_FILE).read_text())
    assert package["licenses"][0]["name"] == "etalab-2.0"
    report = validate(str(directory / PACKAGE_FILE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert stored.owner.full_name in {row["official"] for row in rows}


async def test_the_dumps_are_rewritten_only_after_a_publication(db: Engine, tmp_path: Path) -> None:
    stored, _ = await register_of_five()
    await refresh_dumps(tmp_path, now=NOW)
    directory = dumps_directory(tmp_path)
    first = (directory / CSV_FILE).read_bytes()

    unchanged = await refresh_dumps(tmp_path, now=NOW + timedelta(minutes=1))
    await publish_meeting(stored, datetime(2026, 3, 9, 9, tzinfo=UTC))
    changed = await refresh_dumps(tmp_path, now=NOW + timedelta(minutes=2))

    assert unchanged is False
    assert changed is True
    assert len(_csv_rows(directory / CSV_FILE)) == 6
    assert (directory / CSV_FILE).read_bytes() != first
    again = await refresh_dumps(tmp_path, now=NOW, force=True)
    assert again is True
    rows = _csv_rows(directory / CSV_FILE)
    assert len(rows) == 6
    # The same data gives the same bytes (no time stamp inside the gzip files).
    with io.BytesIO((directory / CSV_FILE).read_bytes()) as compressed:
        assert gzip.GzipFile(fileobj=compressed).read()


async def test_an_empty_register_gives_valid_empty_dumps(db: Engine, tmp_path: Path) -> None:
    await refresh_dumps(tmp_path, now=NOW)
    directory = dumps_directory(tmp_path)

    assert _csv_rows(directory / CSV_FILE) == []
    with gzip.open(directory / JSON_FILE, "rt", encoding="utf-8") as file:
        assert json.load(file) == []
    # Frictionless cannot read an empty JSON Lines file, so the tabular CSV is checked alone.
    package = Package(str(directory / PACKAGE_FILE))
    report = validate(package.get_resource("rencontres"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

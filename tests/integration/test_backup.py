"""Backups on both engines: a populated register goes out and comes back row for row, its log
verifies and goes on; a damaged, altered, truncated or newer backup is refused, changing
nothing."""

import gzip
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from piccolo.engine.base import Engine

from register.domain.kinds import PublicationState, StaffRole
from register.domain.staff import AuditEvent, StaffUser
from register.services.backup import BackupError, check_backup, restore_backup, write_backup
from register.store.ids import new_id
from register.store.repositories import audit, meetings, representatives, table_rows
from register.store.repositories.public_register import public_register_is_current
from register.store.repositories.publication_log import verify_log
from register.store.repositories.staff import add_staff_user
from register.store.tables import PublicMeeting
from tests import factories
from tests.published import NOW, publish_meeting, register_of_five
from tests.stored import StoredRegister

WRITTEN = datetime(2026, 6, 2, 3, 0, tzinfo=UTC)


async def _populated() -> StoredRegister:
    """Five published meetings, a draft with its calendar text, an organisation merged into
    one stored after it, a staff account and an audit event."""
    stored, _ = await register_of_five()
    await meetings.add_meeting(factories.meeting(stored.authority.id, stored.owner.id))
    survivor = factories.representative(name="Fédération unifiée", hatvp_id=None, siren=None)
    merged = factories.representative(
        name="Ancienne fédération", hatvp_id=None, siren=None, merged_into_id=survivor.id
    )
    await representatives.save_representative(survivor)
    await representatives.save_representative(merged)
    user = StaffUser(
        id=new_id(), username="editor", role=StaffRole.EDITOR, authority_ids=(stored.authority.id,)
    )
    await add_staff_user(user, "$argon2id$not-a-real-hash")
    await audit.record_event(
        AuditEvent(
            at=NOW, actor="editor", action="test", entity="meeting", entity_id="x", user_id=user.id
        )
    )
    return stored


async def _backup(path: Path) -> list[bytes]:
    with path.open("wb") as stream:
        await write_backup(stream, now=WRITTEN)
    return gzip.decompress(path.read_bytes()).splitlines()  # noqa: ASYNC240


async def test_a_register_is_restored_row_for_row_and_its_log_verifies_and_goes_on(
    db: Engine, tmp_path: Path
) -> None:
    stored = await _populated()
    lines = await _backup(tmp_path / "register.backup")
    summary = check_backup(tmp_path / "register.backup")
    assert summary.rows["meeting"] == 6
    assert summary.rows["interest_representative"] == 4
    assert summary.log_entries == 5
    assert "staff_session" not in summary.rows  # log-ins are not kept
    assert summary.rows["public_meeting"] == 5  # the projection too: no rebuild needed

    with pytest.raises(BackupError, match="the database is not empty"):
        await restore_backup(tmp_path / "register.backup")

    await table_rows.empty_every_table()
    result = await restore_backup(tmp_path / "register.backup")
    assert (result.log_checked, result.log_problems) == (5, [])
    assert result.public_meetings == 5
    assert await PublicMeeting.count() == 5
    assert await public_register_is_current()
    # Every row came back as it was: a second backup holds the same lines.
    again = await _backup(tmp_path / "again.backup")
    assert again[1:-1] == lines[1:-1]

    # The register goes on where it was (PostgreSQL's sequences were moved past the keys).
    drafts = await meetings.list_meetings(stored.authority.id, states=[PublicationState.DRAFT])
    assert len(drafts) == 1
    await audit.record_event(
        AuditEvent(at=NOW, actor="editor", action="after", entity="meeting", entity_id="y")
    )
    await publish_meeting(stored, NOW + timedelta(days=3))
    assert await verify_log() == (6, [])


def _rewrite(path: Path, edit: Callable[[list[bytes]], list[bytes]], *, checksum: bool) -> Path:
    """A copy of the backup with its lines edited, and its checksum recomputed if `checksum`
    (as someone who knows the format would)."""
    lines = edit(gzip.decompress(path.read_bytes()).splitlines(keepends=True))
    if checksum:
        end = json.loads(lines[-1])
        end["sha256"] = hashlib.sha256(b"".join(lines[:-1])).hexdigest()
        lines[-1] = (json.dumps(end) + "\n").encode()
    copy = path.with_name(f"edited-{len(list(path.parent.iterdir()))}.backup")
    copy.write_bytes(gzip.compress(b"".join(lines)))
    return copy


def _altered_subject(lines: list[bytes]) -> list[bytes]:
    return [line.replace("rénovation".encode(), b"demolition") for line in lines]


def _newer_schema(lines: list[bytes]) -> list[bytes]:
    header = json.loads(lines[0])
    header["migrations"].append("2099-01-01T00:00:00:000000")
    return [(json.dumps(header) + "\n").encode(), *lines[1:]]


async def test_a_damaged_altered_truncated_or_newer_backup_is_refused_and_force_replaces(
    db: Engine, tmp_path: Path
) -> None:
    stored = await _populated()
    good = tmp_path / "register.backup"
    await _backup(good)
    await table_rows.empty_every_table()
    compressed = good.read_bytes()
    half = tmp_path / "half.backup"
    half.write_bytes(compressed[: len(compressed) // 2])
    flipped = tmp_path / "flipped.backup"  # one bit of the compressed data's checksum
    flipped.write_bytes(compressed[:-8] + bytes([compressed[-8] ^ 1]) + compressed[-7:])
    not_gzip = tmp_path / "not-gzip.backup"
    not_gzip.write_text("hello")
    cases = {
        half: r"half\.backup is truncated: the compressed data ends after line \d+",
        flipped: r"flipped\.backup is not a readable backup: CRC check failed",
        not_gzip: r"not-gzip\.backup is not a readable backup: Not a gzipped file",
        _rewrite(good, _altered_subject, checksum=False): (
            r"the checksum does not match its content \(line \d+\): the file was altered after "
            "it was written"
        ),
        _rewrite(good, lambda lines: lines[:-1], checksum=False): (
            r"is truncated: it stops after \d+ rows without its end line"
        ),
        _rewrite(good, lambda lines: [*lines[:2], *lines[3:]], checksum=True): (
            r"the end line counts .* rows but the file holds"
        ),
        _rewrite(good, _newer_schema, checksum=True): (
            r"comes from a newer version of the register \(schema migrations "
            r"2099-01-01T00:00:00:000000 are unknown here\): upgrade the register, then restore"
        ),
        tmp_path / "missing.backup": r"missing\.backup: no such file",
    }
    for path, message in cases.items():
        with pytest.raises(BackupError, match=message):
            await restore_backup(path)
        assert await table_rows.non_empty_tables() == [], path

    # --force replaces whatever the database holds.
    assert (await restore_backup(good)).log_problems == []
    await publish_meeting(stored, NOW + timedelta(days=9))
    replaced = await restore_backup(good, force=True)
    assert (replaced.log_checked, replaced.log_problems) == (5, [])
    assert len(await meetings.list_meetings(stored.authority.id)) == 6

"""The public register's projection: the current public version of each published meeting.

`save_public_version` runs in the transaction that appends the log entry, so the projection and
the log never disagree; `rebuild_public_register` recomputes it from the log (after a restore, or
for a database published before the projection existed).
"""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.columns import Column

from register.domain.normalise import normalise
from register.domain.publication_log import LogEntry, canonical_json
from register.store.repositories.meetings import name_of
from register.store.tables import (
    Meeting,
    PublicationEntry,
    PublicMeeting,
    PublicMeetingOrganisation,
)
from register.store.transaction import writing


def search_text(payload: Mapping[str, Any]) -> str:
    """What full-text search looks in: the public subject, the organisations, the official."""
    parts = [
        str(payload.get("subject") or ""),
        *(str(rep.get("name") or "") for rep in payload.get("representatives") or ()),
        str((payload.get("official") or {}).get("name") or ""),
        str((payload.get("authority") or {}).get("name") or ""),
    ]
    return " " + normalise(" ".join(parts)) + " "


def public_meeting_values(
    entry: LogEntry, payload: Mapping[str, Any], *, first_published_at: datetime
) -> dict[Column | str, Any]:
    """The projection's row (all but its id, the meeting's) for `payload`, the public payload
    of log entry `entry`. Shared by `save_public_version` and bulk loaders (`bench.generate`),
    so that both write the same values."""
    publication = payload["publication"]
    representatives = payload.get("representatives") or ()
    return {
        PublicMeeting.authority: UUID(payload["authority"]["id"]),
        PublicMeeting.official: UUID(payload["official"]["id"]),
        PublicMeeting.starts_at: datetime.fromisoformat(payload["starts_at"]),
        PublicMeeting.ends_at: (
            datetime.fromisoformat(payload["ends_at"]) if payload.get("ends_at") else None
        ),
        PublicMeeting.policy_area: (payload.get("policy_area") or {}).get("code"),
        PublicMeeting.format: payload.get("format"),
        PublicMeeting.state: publication["state"],
        PublicMeeting.status: payload.get("status") or "confirmed",
        PublicMeeting.version: publication["version"],
        PublicMeeting.first_published_at: first_published_at,
        PublicMeeting.published_at: entry.recorded_at,
        PublicMeeting.hatvp_registered: any(rep.get("hatvp_registered") for rep in representatives),
        PublicMeeting.search_text: search_text(payload),
        PublicMeeting.body: canonical_json(payload),
        PublicMeeting.log_seq: entry.seq,
    }


def public_organisation_values(payload: Mapping[str, Any]) -> list[dict[Column, Any]]:
    """The organisations a public payload names, each once, in order (all but the meeting)."""
    seen: set[str] = set()
    rows: list[dict[Column, Any]] = []
    for position, rep in enumerate(payload.get("representatives") or ()):
        if rep["id"] in seen:
            continue
        seen.add(rep["id"])
        rows.append(
            {
                PublicMeetingOrganisation.organisation: UUID(rep["id"]),
                PublicMeetingOrganisation.name: str(rep.get("name") or "")[:300],
                PublicMeetingOrganisation.hatvp_registered: bool(rep.get("hatvp_registered")),
                PublicMeetingOrganisation.position: position,
            }
        )
    return rows


async def save_public_version(
    entry: LogEntry, payload: Mapping[str, Any], *, first_published_at: datetime
) -> None:
    """Make `payload` (the log entry's public payload) the meeting's current public version."""
    values = public_meeting_values(entry, payload, first_published_at=first_published_at)
    meeting_id = entry.meeting_id
    async with writing():
        updated = (
            await PublicMeeting.update(values)
            .where(PublicMeeting.id == meeting_id)
            .returning(PublicMeeting.id)
        )
        if not updated:
            await PublicMeeting.insert(
                PublicMeeting(id=meeting_id, **{name_of(column): v for column, v in values.items()})
            )
        await PublicMeetingOrganisation.delete().where(
            PublicMeetingOrganisation.meeting == meeting_id
        )
        rows = [
            PublicMeetingOrganisation(
                meeting=meeting_id, **{name_of(column): v for column, v in row.items()}
            )
            for row in public_organisation_values(payload)
        ]
        if rows:
            await PublicMeetingOrganisation.insert(*rows)


async def public_register_is_current() -> bool:
    """Whether every meeting with a public version has its row (a cheap check at start-up)."""
    public = await Meeting.count().where(Meeting.published_version > 0)
    return bool(public == await PublicMeeting.count())


async def rebuild_public_register() -> int:
    """Recompute the projection from the log's latest entry of each meeting; returns how many
    meetings it holds."""
    async with writing():
        await PublicMeetingOrganisation.delete(force=True)
        await PublicMeeting.delete(force=True)
        rows = await PublicationEntry.raw(
            """
            SELECT pe.seq, pe.meeting, pe.version, pe.action, pe.recorded_at, pe.body,
                   pe.previous_hash, pe.hash, m.first_published_at
            FROM publication_entry pe
            JOIN meeting m ON m.id = pe.meeting AND m.published_version = pe.version
            ORDER BY pe.seq
            """
        )
        for row in rows:
            recorded_at = row["recorded_at"]
            if isinstance(recorded_at, str):  # raw queries on SQLite return text
                recorded_at = datetime.fromisoformat(recorded_at)
            first = row["first_published_at"]
            if isinstance(first, str):
                first = datetime.fromisoformat(first)
            meeting_id = (
                row["meeting"] if isinstance(row["meeting"], UUID) else UUID(row["meeting"])
            )
            entry = LogEntry(
                seq=row["seq"],
                meeting_id=meeting_id,
                version=row["version"],
                action=row["action"],
                recorded_at=recorded_at,
                body=row["body"],
                previous_hash=row["previous_hash"],
                hash=row["hash"],
            )
            payload = json.loads(row["body"])["payload"]
            await save_public_version(entry, payload, first_published_at=first or recorded_at)
    return len(rows)

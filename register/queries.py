"""The one read path for the public register: pages, API, dumps and feeds all call these
functions, so a filter means the same thing everywhere. Only published versions are read:
the public payload stored in the publication log, never the meetings' working rows."""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from register.domain.kinds import LegalGround, PublicationState
from register.domain.public_record import PublicRecord
from register.store.tables import PublicationEntry

_PUBLIC_STATES = (
    PublicationState.PUBLISHED.value,
    PublicationState.CORRECTED.value,
    PublicationState.WITHDRAWN.value,
)


class Publication(BaseModel):
    """How a published version came to be: its number, state, and public reason."""

    model_config = ConfigDict(frozen=True)

    version: int
    state: PublicationState
    reason: str | None = None
    legal_ground: LegalGround | None = None


class PublishedMeeting(BaseModel):
    """The current public version of a meeting."""

    model_config = ConfigDict(frozen=True)

    record: PublicRecord
    publication: Publication
    recorded_at: datetime
    log_seq: int


class RegisterSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    published_meetings: int
    organisations: int
    officials: int
    log_entries: int


def _published(row: dict[str, Any]) -> PublishedMeeting:
    body = json.loads(row["body"])
    payload = dict(body["payload"])
    publication = Publication.model_validate(payload.pop("publication"))
    recorded_at = row["recorded_at"]
    if isinstance(recorded_at, str):  # raw queries on SQLite return text
        recorded_at = datetime.fromisoformat(recorded_at)
    return PublishedMeeting(
        record=PublicRecord.model_validate(payload),
        publication=publication,
        recorded_at=recorded_at,
        log_seq=row["seq"],
    )


_CURRENT_VERSIONS = """
    SELECT pe.seq, pe.body, pe.recorded_at
    FROM publication_entry pe
    JOIN meeting m ON m.id = pe.meeting AND m.published_version = pe.version
    WHERE m.publication_state IN ({states})
"""


async def latest_published(
    *, authority_id: UUID | None = None, limit: int = 20
) -> list[PublishedMeeting]:
    """The current public versions, most recent meeting first."""
    states = ", ".join(f"'{state}'" for state in _PUBLIC_STATES)
    sql = _CURRENT_VERSIONS.format(states=states)
    args: list[Any] = []
    if authority_id is not None:
        sql += " AND m.authority = {}"
        args.append(authority_id)
    sql += " ORDER BY m.starts_at DESC, m.id LIMIT {}"
    args.append(limit)
    rows = await PublicationEntry.raw(sql, *args)
    return [_published(row) for row in rows]


async def register_summary() -> RegisterSummary:
    """Headline figures of the public register."""
    states = ", ".join(f"'{state}'" for state in _PUBLIC_STATES)
    rows = await PublicationEntry.raw(
        f"""
        SELECT
          (SELECT COUNT(*) FROM meeting WHERE publication_state IN ({states})) AS meetings,
          (SELECT COUNT(DISTINCT rp.representative) FROM representative_presence rp
             JOIN meeting m ON m.id = rp.meeting
             WHERE m.publication_state IN ({states})) AS organisations,
          (SELECT COUNT(DISTINCT m.official) FROM meeting m
             WHERE m.publication_state IN ({states})) AS officials,
          (SELECT COUNT(*) FROM publication_entry) AS log_entries
        """  # noqa: S608 - only constants are interpolated
    )
    row = rows[0]
    return RegisterSummary(
        published_meetings=row["meetings"],
        organisations=row["organisations"],
        officials=row["officials"],
        log_entries=row["log_entries"],
    )

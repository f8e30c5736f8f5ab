"""New identifiers: ULIDs stored as UUIDs.

Time-ordered ids keep index inserts local (one B-tree page, not a random one) while their 80
random bits keep them unguessable enough for public URLs.
"""

from uuid import UUID

from ulid import ULID


def new_id() -> UUID:
    return ULID().to_uuid()

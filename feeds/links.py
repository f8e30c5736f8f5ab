"""The public addresses of the register's pages that feeds link to.

They are public identifiers, stable forever: a feed reader or a calendar app keeps them.
"""

from uuid import UUID


def _joined(base_url: str, *parts: str) -> str:
    return "/".join((base_url.rstrip("/"), *parts))


def meeting_url(base_url: str, meeting_id: UUID) -> str:
    """The meeting's page (`/rencontres/{id}`)."""
    return _joined(base_url, "rencontres", str(meeting_id))


def official_url(base_url: str, official_id: UUID) -> str:
    """The official's page (`/responsables/{id}`)."""
    return _joined(base_url, "responsables", str(official_id))


def organisation_url(base_url: str, organisation_id: UUID) -> str:
    """The interest representative's page (`/organisations/{id}`)."""
    return _joined(base_url, "organisations", str(organisation_id))

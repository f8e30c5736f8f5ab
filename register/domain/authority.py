"""The local authority (collectivité) that publishes a register, with its policy."""

from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from register.domain.kinds import AuthorityKind
from register.domain.policy import Policy

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def known_timezone(value: str) -> str:
    """`value` if it names an IANA time zone; a ValueError (so a validation error) otherwise."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown IANA time zone: {value!r}") from error
    return value


class Authority(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    slug: str = Field(pattern=SLUG_PATTERN, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    kind: AuthorityKind
    siren: str | None = Field(default=None, pattern=r"^\d{9}$")
    timezone: str = "Europe/Paris"
    website: str | None = None
    policy: Policy = Policy()

    _known_timezone = field_validator("timezone")(known_timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

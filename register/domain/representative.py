"""Interest representatives (représentants d'intérêts): the organisations that lobby."""

import re
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")
"""A DNS name with at least two labels (internationalised names in their xn-- form)."""


class InterestRepresentative(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    name: str = Field(min_length=1, max_length=300)
    aliases: tuple[str, ...] = ()
    acronym: str | None = Field(default=None, max_length=40)
    hatvp_id: str | None = Field(default=None, max_length=40)
    siren: str | None = Field(default=None, pattern=r"^\d{9}$")
    rna: str | None = Field(default=None, pattern=r"^W\d{9}$")
    eu_transparency_id: str | None = Field(default=None, pattern=r"^\d{6,15}-\d{2}$")
    email_domains: tuple[str, ...] = ()
    website: str | None = None
    category: str = Field(default="", max_length=200)
    hatvp_registered: bool = False
    merged_into_id: UUID | None = None

    @field_validator("email_domains")
    @classmethod
    def _lower_domains(cls, domains: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(d.strip().lower().lstrip("@") for d in domains if d.strip()))
        for domain in cleaned:
            if not DOMAIN.fullmatch(domain):
                raise ValueError(f"not an e-mail domain: {domain!r}")
        return cleaned

    @property
    def hatvp_url(self) -> str | None:
        """The organisation's page in the HATVP répertoire, which is keyed by national id."""
        if not self.hatvp_id:
            return None
        return f"https://www.hatvp.fr/fiche-organisation/?organisation={self.hatvp_id}"

    @property
    def eu_register_url(self) -> str | None:
        if not self.eu_transparency_id:
            return None
        return (
            "https://transparency-register.europa.eu/searchregister-or-update/"
            f"organisation-detail_en?id={self.eu_transparency_id}"
        )

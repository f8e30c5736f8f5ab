"""A record read from a register, checked by the domain before it reaches the directory.

What a bad value does (the same for every source):
- a record without a usable name, or without the identifier its source keys it by (the HATVP
  national id, the EU register's identification code), is skipped: there is nothing to match
  it on, so importing it could only create a duplicate;
- any other bad value (a SIREN that is not 9 digits, an RNA number, an EU id, an acronym or a
  website that the domain refuses, an e-mail domain that is not one) is left out, the record is
  imported without it, and a warning says so: losing an organisation for a typo in its SIREN would
  hide its meetings' lobbying, while a wrong identifier would merge two organisations.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from register.domain.representative import DOMAIN, InterestRepresentative
from register.store.ids import new_id
from register.store.repositories.directory import distinct_names

WEBMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "outlook.fr",
        "hotmail.com",
        "hotmail.fr",
        "live.com",
        "live.fr",
        "msn.com",
        "yahoo.com",
        "yahoo.fr",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "bbox.fr",
        "laposte.net",
        "gmx.fr",
        "gmx.com",
        "gmx.net",
        "proton.me",
        "protonmail.com",
        "tutanota.com",
        "mailo.com",
    }
)
"""Webmail domains: an address there identifies nobody (issue 4), so none is an organisation's."""

LABELS = {
    "name": ("name", "1 to 300 characters"),
    "siren": ("SIREN", "9 digits"),
    "rna": ("RNA number", "W followed by 9 digits"),
    "hatvp_id": ("HATVP id", "at most 40 characters"),
    "eu_transparency_id": ("EU Transparency Register id", "digits, a dash and 2 digits"),
    "acronym": ("acronym", "at most 40 characters"),
    "category": ("category", "at most 200 characters"),
    "website": ("website", "at most 500 characters"),
}
DROPPED_TO: dict[str, str | None] = {
    "siren": None,
    "rna": None,
    "hatvp_id": None,
    "eu_transparency_id": None,
}
DROPPED_TO |= {"acronym": None, "website": None, "category": ""}
MAX_WEBSITE = 500  # the column's length
_SPACES = re.compile(r"[\s.\u00a0\u202f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class SourceError(Exception):
    """The file cannot be read (any further): missing, not the expected format, or broken."""


@dataclass(frozen=True)
class Rejected:
    """A record skipped, with where it is and why."""

    position: str
    reason: str


@dataclass(frozen=True)
class Candidate:
    """A valid organisation as the source describes it (its id is a placeholder until matched).

    `keys` are its identifiers, the one its source trusts most first; `sets_registration` says
    whether the source is the one that knows if it is registered with HATVP.
    """

    position: str
    representative: InterestRepresentative
    keys: tuple[str, ...]
    sets_registration: bool
    warnings: tuple[str, ...]


Record = Candidate | Rejected


def text(value: object) -> str | None:
    """A value as text with its spaces collapsed; None when missing, blank or not a scalar.

    NUL characters are dropped and lone surrogates (JSON's `\ud800`) replaced: PostgreSQL
    refuses both in text, and one in a record (JSON's `\u0000`, a raw byte in a CSV) stopped
    the whole import there (found by the import fuzz test)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.replace("\x00", "").split())
    if not cleaned.isascii():
        try:
            cleaned.encode()
        except UnicodeEncodeError:  # a lone surrogate, from JSON's "\ud800"
            cleaned = _SURROGATE.sub("\ufffd", cleaned)
    return cleaned or None


def compact(value: str | None, *, upper: bool = False) -> str | None:
    """An identifier without the spaces and dots people type in them ("552 100 554")."""
    if value is None:
        return None
    cleaned = _SPACES.sub("", value)
    return (cleaned.upper() if upper else cleaned) or None


def email_domain(address: object) -> str | None:
    """The domain of an organisation's contact address, unless it is a webmail's."""
    value = text(address)
    if value is None or "@" not in value:
        return None
    domain = value.rsplit("@", 1)[1].strip().lower()
    return domain if DOMAIN.fullmatch(domain) and domain not in WEBMAIL_DOMAINS else None


def _usable_domains(domains: Iterable[str], warnings: list[str]) -> tuple[str, ...]:
    usable = []
    for raw in domains:
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN.fullmatch(domain):
            warnings.append(f"e-mail domain «{raw}» is not a domain name: left out")
        elif domain in WEBMAIL_DOMAINS:
            warnings.append(
                f"e-mail domain «{domain}» is a webmail, it identifies nobody: left out"
            )
        else:
            usable.append(domain)
    return tuple(dict.fromkeys(usable))


def build_candidate(
    position: str,
    fields: Mapping[str, Any],
    *,
    keys: tuple[str, ...],
    required: frozenset[str],
    sets_registration: bool,
    warnings: Iterable[str] = (),
) -> Record:
    """Validate `fields` with the domain model, leaving out the bad values it may do without
    (see the module's docstring) and rejecting the record when a `required` one is bad."""
    values = {name: value for name, value in fields.items() if value is not None}
    notes = list(warnings)
    for name in sorted(required):
        if not values.get(name):
            return Rejected(position, f"no {LABELS[name][0]}")
    values["email_domains"] = _usable_domains(values.get("email_domains", ()), notes)
    values["aliases"] = distinct_names(values.get("aliases", ()), values.get("name", ""))
    if len(values.get("website") or "") > MAX_WEBSITE:
        values.pop("website")
        notes.append(f"website longer than {MAX_WEBSITE} characters: left out")
    for _ in range(len(DROPPED_TO) + 1):
        try:
            representative = InterestRepresentative(id=new_id(), **values)
        except ValidationError as error:
            for problem in error.errors():
                field = str(problem["loc"][0]) if problem["loc"] else "?"
                label, expected = LABELS.get(field, (field, "valid"))
                message = f"{label} «{values.get(field)}» is not {expected}"
                if field in required or field not in DROPPED_TO:
                    return Rejected(position, message)
                values[field] = DROPPED_TO[field]
                notes.append(f"{message}: imported without it")
            continue
        found = tuple(getattr(representative, field) for field in keys)
        return Candidate(
            position,
            representative,
            tuple(dict.fromkeys(value for value in found if value)),
            sets_registration,
            tuple(notes),
        )
    return Rejected(position, "invalid record")  # pragma: no cover - every field was dropped

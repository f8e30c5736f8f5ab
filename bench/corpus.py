"""The labelled corpus of calendar entries and its directory (tests/data/classification/), read
into the classifier's own values: the benchmark and the quality test both use it."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from register.domain.calendar_data import Attendee, CalendarData
from register.domain.classifier.config import ClassifierConfig
from register.domain.classifier.directory import DirectoryEntry, DirectoryIndex, DomainRules
from register.domain.kinds import ClassificationKind, Visibility


def organisation_id(key: str) -> UUID:
    """A stable id for a corpus organisation key."""
    return uuid5(NAMESPACE_URL, f"corpus:{key}")


@dataclass(frozen=True)
class LabelledEntry:
    id: str
    data: CalendarData
    kind: ClassificationKind
    organisations: frozenset[UUID]


@dataclass(frozen=True)
class Corpus:
    entries: tuple[LabelledEntry, ...]
    directory: tuple[DirectoryEntry, ...]
    rules: DomainRules
    config: ClassifierConfig

    def index(self, extra: tuple[DirectoryEntry, ...] = ()) -> DirectoryIndex:
        return DirectoryIndex.build([*self.directory, *extra], self.rules)


def _attendee(value: Any) -> Attendee | None:
    if not value:
        return None
    if isinstance(value, str):
        return Attendee(email=value)
    return Attendee(email=value.get("email"), name=value.get("name"))


def _entries(path: Path) -> Iterator[LabelledEntry]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        attendees = tuple(a for a in map(_attendee, item.get("attendees") or ()) if a)
        yield LabelledEntry(
            id=item["id"],
            data=CalendarData(
                summary=item.get("summary") or "",
                location=item.get("location") or "",
                description=item.get("description") or "",
                organizer=_attendee(item.get("organizer")),
                attendees=attendees,
                categories=tuple(item.get("categories") or ()),
                visibility=Visibility((item.get("class") or "PUBLIC").lower()),
            ),
            kind=ClassificationKind(item["expected"]["kind"]),
            organisations=frozenset(
                organisation_id(key) for key in item["expected"].get("organisations") or ()
            ),
        )


def load_corpus(folder: Path) -> Corpus:
    directory = json.loads((folder / "directory.json").read_text(encoding="utf-8"))
    organisations = tuple(
        DirectoryEntry(
            id=organisation_id(org["key"]),
            name=org["name"],
            aliases=tuple(org.get("aliases") or ()),
            acronym=org.get("acronym"),
            email_domains=tuple(org.get("email_domains") or ()),
        )
        for org in directory["organisations"]
    )
    public_bodies = directory.get("public_bodies") or ()
    rules = DomainRules(
        authority_domains=frozenset(directory.get("authority_domains") or ()),
        public_body_domains=frozenset(directory.get("public_body_domains") or ())
        | {domain for body in public_bodies for domain in body.get("domains", ())},
        webmail_domains=frozenset(directory.get("webmail_domains") or ())
        | DomainRules().webmail_domains,
    )
    settings = dict(directory.get("config") or {})
    # The corpus calls the words that name public bodies "institutional keywords".
    settings["public_body_words"] = settings.pop("institutional_keywords", ())
    defaults = ClassifierConfig()
    config = defaults.model_copy(
        update={
            name: (*getattr(defaults, name), *settings[name])
            for name in (
                "interest_keywords",
                "interest_categories",
                "internal_patterns",
                "internal_categories",
                "public_body_words",
                "personal_patterns",
                "personal_categories",
            )
            if settings.get(name)
        }
    )
    return Corpus(
        entries=tuple(_entries(folder / "corpus.jsonl")),
        directory=organisations,
        rules=rules,
        config=config,
    )

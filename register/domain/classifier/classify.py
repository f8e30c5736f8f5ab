"""The verdict on one calendar entry, with its evidence.

Precedence follows the labelling guide: the calendar's private class first; then an interest
representative identified by an e-mail domain, a name, an acronym or a near-miss of a name (an
interest representative present makes any meeting an interest meeting); then the authority's
own lobby keywords and categories; then public bodies (institutional), internal patterns, and
personal time. Explanations name organisations and rules, never the event's own text, so that
the public may see them.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID

from register.domain.calendar_data import Attendee, CalendarData
from register.domain.classification import Classification, Reason
from register.domain.classifier.config import ClassifierConfig
from register.domain.classifier.directory import DirectoryIndex
from register.domain.kinds import ClassificationKind, Visibility
from register.domain.normalise import tokens
from register.domain.text import Message

WEIGHTS = {
    "email_domain": 0.9,
    "name:summary": 0.85,
    "acronym:summary": 0.75,
    "name:location": 0.6,
    "name:description": 0.55,
    "acronym:location": 0.5,
    "acronym:description": 0.45,
    "near_miss:summary": 0.5,
    "near_miss:location": 0.35,
    "near_miss:description": 0.3,
}
FIELD_NAMES = {
    "summary": ("le titre", "the title"),
    "location": ("le lieu", "the location"),
    "description": ("le descriptif", "the description"),
}
_RAW_WORD = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ&]+")


class _PhraseSet:
    """Configured phrases as sets of word tuples by length: a text is searched in one pass per
    phrase length, not once per phrase."""

    def __init__(self, phrases: tuple[tuple[str, ...], ...]) -> None:
        self.by_length: dict[int, frozenset[tuple[str, ...]]] = {}
        for length in {len(phrase) for phrase in phrases}:
            self.by_length[length] = frozenset(p for p in phrases if len(p) == length)
        self.singles = self.by_length.get(1, frozenset())

    def found_in(self, words: list[str]) -> bool:
        for length, table in self.by_length.items():
            if length == 1:
                if any((word,) in table for word in words):
                    return True
                continue
            for start in range(len(words) - length + 1):
                if tuple(words[start : start + length]) in table:
                    return True
        return False

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, tuple) and phrase in self.by_length.get(len(phrase), ())


@lru_cache(maxsize=64)
def _config_phrases(config: ClassifierConfig) -> dict[str, _PhraseSet]:
    return {
        name: _PhraseSet(config.phrases(name))
        for name in (
            "interest_keywords",
            "interest_categories",
            "internal_patterns",
            "internal_categories",
            "preparation_words",
            "public_body_words",
            "personal_patterns",
            "personal_categories",
            "public_event_words",
        )
    }


class _Evidence:
    """What was found about each organisation, and the other signals."""

    def __init__(self, index: DirectoryIndex) -> None:
        self.index = index
        self.reasons: dict[UUID, list[Reason]] = defaultdict(list)
        self.weights: dict[UUID, list[float]] = defaultdict(list)
        self.domains: dict[str, set[str]] = defaultdict(set)

    def add(  # noqa: PLR0917 - one piece of evidence, said in full
        self, owner: UUID, rule: str, field: str, matched: str, fr: str, en: str
    ) -> None:
        name = self.index.entries[owner].name
        self.reasons[owner].append(
            Reason(
                rule=rule,
                field=field,
                matched=matched,
                representative_id=owner,
                explanation=Message(fr=fr.format(name=name), en=en.format(name=name)),
            )
        )
        self.weights[owner].append(WEIGHTS.get(f"{rule}:{field}", WEIGHTS.get(rule, 0.5)))

    def people(self, organizer: Attendee | None, attendees: tuple[Attendee, ...]) -> None:
        for field, person in [("organizer", organizer), *(("attendees", a) for a in attendees)]:
            if person is None or not person.email or "@" not in person.email:
                continue
            domain = person.email.rsplit("@", 1)[1].lower()
            kind = self.index.domain_kind(domain)
            self.domains[kind].add(domain)
            owner = self.index.domain_owner(domain) if kind == "representative" else None
            if owner is not None and not any(r.rule == "email_domain" for r in self.reasons[owner]):
                self.add(
                    owner,
                    "email_domain",
                    field,
                    domain,
                    "Un participant utilise le domaine de messagerie de {name}.",
                    "An attendee uses the e-mail domain of {name}.",
                )

    def text(self, field: str, text: str) -> list[str]:
        words = tokens(text)
        if not words:
            return words
        where_fr, where_en = FIELD_NAMES[field]
        covered: set[int] = set()
        for start, length, owners in self.index.phrase_matches(words):
            covered.update(range(start, start + length))
            for owner in owners:
                self.add(
                    owner,
                    "name",
                    field,
                    " ".join(words[start : start + length]),
                    f"{where_fr.capitalize()} nomme {{name}}.",
                    f"{where_en.capitalize()} names {{name}}.",
                )
        for raw in _RAW_WORD.findall(text):
            if len(raw) >= 2 and raw.isupper():
                for owner in self.index.acronyms.get(raw, ()):
                    self.add(
                        owner,
                        "acronym",
                        field,
                        raw,
                        f"{where_fr.capitalize()} cite le sigle de {{name}}.",
                        f"{where_en.capitalize()} gives the acronym of {{name}}.",
                    )
        for position, word in enumerate(words):
            if position in covered:
                continue
            near = self.index.near_miss(word)
            for owner in self.index.distinctive.get(near, ()) if near else ():
                self.add(
                    owner,
                    "near_miss",
                    field,
                    word,
                    f"{where_fr.capitalize()} semble nommer {{name}} (orthographe approchée).",
                    f"{where_en.capitalize()} seems to name {{name}} (close spelling).",
                )
        return words


def _verdict(
    kind: ClassificationKind, confidence: float, rule: str, fr: str, en: str
) -> Classification:
    return Classification(
        kind=kind,
        confidence=confidence,
        reasons=(Reason(rule=rule, explanation=Message(fr=fr, en=en)),),
    )


@dataclass(frozen=True)
class _Facts:
    """What the rules decide on: the evidence, the event's words and the configured phrases."""

    evidence: _Evidence
    summary: list[str]
    everything: list[str]
    categories: list[tuple[str, ...]]
    phrases: dict[str, _PhraseSet]

    @property
    def organisations(self) -> list[UUID]:
        """Organisations with enough evidence: an e-mail domain, a name or long acronym in the
        text, or a near miss. A short acronym ("EDL", "CCI") or a name given only as the place
        (a hotel, a clinic) is not enough on its own."""
        found = []
        for owner, reasons in self.evidence.reasons.items():
            strong = [
                r
                for r in reasons
                if not (r.rule == "acronym" and len(r.matched or "") <= 3)
                and not (r.field == "location" and r.rule != "email_domain")
            ]
            if strong:
                found.append(owner)
        return found

    @property
    def attended_by_representative(self) -> bool:
        """An organisation's e-mail domain among the attendees: it is there, not just named."""
        return any(
            r.rule == "email_domain" for reasons in self.evidence.reasons.values() for r in reasons
        )

    def says(self, phrases: str, categories: str | None = None) -> bool:
        if self.phrases[phrases].found_in(self.everything):
            return True
        return categories is not None and any(
            c in self.phrases[categories] for c in self.categories
        )

    @property
    def outsiders(self) -> set[str]:
        return self.evidence.domains["representative"] | self.evidence.domains["other"]

    @property
    def preparing(self) -> bool:
        return self.phrases["preparation_words"].found_in(self.summary)


def _attended(facts: _Facts) -> Classification | None:
    """An organisation's people are invited: an interest meeting, whatever else it is."""
    return _representatives(facts) if facts.attended_by_representative else None


def _context(facts: _Facts) -> Classification | None:
    """Without a representative among the attendees, what the entry says it is wins over an
    organisation merely named in it ("Commission DSP — offres Véolys", "Courses Hyperval")."""
    if facts.says("personal_patterns", "personal_categories"):
        return _verdict(
            ClassificationKind.PERSONAL, 0.7, "personal", "Temps personnel.", "Personal time."
        )
    if facts.organisations and facts.says("public_event_words"):
        # A reception or a gala an organisation hosts: staff decide whether it was lobbying.
        return Classification(
            kind=ClassificationKind.UNKNOWN,
            confidence=0.0,
            reasons=(
                Reason(
                    rule="public_event",
                    explanation=Message(
                        fr="Événement public organisé par une organisation : à qualifier.",
                        en="A public event an organisation hosts: for staff to qualify.",
                    ),
                ),
            ),
        )
    if facts.evidence.domains["public"] or facts.says("public_body_words"):
        return _verdict(
            ClassificationKind.INSTITUTIONAL,
            0.8,
            "public_body",
            "Un organisme public participe ou est nommé, ou c'est un acte de la vie publique.",
            "A public body attends or is named, or it is an act of public life.",
        )
    if facts.says("internal_patterns", "internal_categories") or (
        facts.preparing and not facts.outsiders
    ):
        return _verdict(
            ClassificationKind.INTERNAL,
            0.7,
            "internal",
            "Réunion ou travail interne à la collectivité.",
            "A meeting or work internal to the authority.",
        )
    return None


def _representatives(facts: _Facts) -> Classification | None:
    organisations = facts.organisations
    if not organisations:
        return None
    miss = 1.0
    for owner in organisations:
        for weight in facts.evidence.weights[owner]:
            miss *= 1.0 - weight
    return Classification(
        kind=ClassificationKind.INTEREST_REPRESENTATIVE,
        confidence=round(min(0.99, 1.0 - miss), 3),
        reasons=tuple(r for owner in organisations for r in facts.evidence.reasons[owner]),
        representative_ids=tuple(organisations),
    )


def _authority_keywords(facts: _Facts) -> Classification | None:
    if not facts.says("interest_keywords", "interest_categories"):
        return None
    return _verdict(
        ClassificationKind.INTEREST_REPRESENTATIVE,
        0.6,
        "authority_keyword",
        "L'événement porte un mot ou une catégorie que la collectivité réserve aux "
        "représentants d'intérêts.",
        "The event carries a word or category the authority keeps for interest representatives.",
    )


def _colleagues_only(facts: _Facts) -> Classification | None:
    domains = facts.evidence.domains
    if domains["authority"] and not (facts.outsiders | domains["webmail"]):
        return _verdict(
            ClassificationKind.INTERNAL,
            0.6,
            "internal",
            "Réunion ou travail interne à la collectivité.",
            "A meeting or work internal to the authority.",
        )
    return None


_PRIVATE = _verdict(
    ClassificationKind.PRIVATE,
    1.0,
    "calendar_private",
    "L'agenda marque cet événement comme privé ou confidentiel.",
    "The calendar marks this event private or confidential.",
)
_RULES = (
    _attended,
    _context,
    _representatives,
    _authority_keywords,
    _colleagues_only,
)


def classify(data: CalendarData, index: DirectoryIndex, config: ClassifierConfig) -> Classification:
    """What `data` is, which organisations it involves, how sure, and why."""
    if data.visibility is not Visibility.PUBLIC:
        return _PRIVATE
    evidence = _Evidence(index)
    evidence.people(data.organizer, data.attendees)
    summary = evidence.text("summary", data.summary)
    location = evidence.text("location", data.location)
    description = evidence.text("description", data.description)
    facts = _Facts(
        evidence=evidence,
        summary=summary,
        everything=[*summary, *location, *description],
        categories=[tuple(tokens(category)) for category in data.categories],
        phrases=_config_phrases(config),
    )
    for rule in _RULES:
        verdict = rule(facts)
        if verdict is not None:
            return verdict
    return Classification(kind=ClassificationKind.UNKNOWN, confidence=0.0)

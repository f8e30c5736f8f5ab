"""The directory of interest representatives, indexed for matching thousands of events a second.

Names, aliases and acronyms are indexed as normalised token sequences (a dict per phrase length),
so an event is matched by looking up its word n-grams, never by trying every organisation.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from register.domain.normalise import normalise, tokens

# Words that never identify an organisation on their own, whatever the directory says.
STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "chez",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "lot",
        "ou",
        "par",
        "pour",
        "sa",
        "se",
        "sur",
        "un",
        "une",
        "rdv",
        "rendez",
        "vous",
        "reunion",
        "point",
        "dej",
        "dejeuner",
        "visio",
        "call",
        "tel",
        "appel",
        "cafe",
        "diner",
        "petit",
    ]
)
LEGAL_FORMS = frozenset(
    ["sa", "sas", "sasu", "sarl", "eurl", "sca", "scop", "sem", "spl", "gie", "snc"]
)
FUZZY_MIN_LENGTH = 6
FUZZY_MIN_SIMILARITY = 0.84
FUZZY_CACHE_SIZE = 100_000


@dataclass(frozen=True)
class DirectoryEntry:
    """What the classifier needs of an organisation."""

    id: UUID
    name: str
    aliases: tuple[str, ...] = ()
    acronym: str | None = None
    email_domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class DomainRules:
    """Domains that are not interest representatives: the authority's own, public bodies',
    and webmail providers' (which identify nobody)."""

    authority_domains: frozenset[str] = frozenset()
    public_body_domains: frozenset[str] = frozenset()
    public_body_suffixes: frozenset[str] = frozenset({"gouv.fr"})
    webmail_domains: frozenset[str] = frozenset(
        {
            "gmail.com", "googlemail.com", "outlook.com", "outlook.fr", "hotmail.com",
            "hotmail.fr", "live.fr", "msn.com", "yahoo.fr", "yahoo.com", "orange.fr",
            "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "icloud.com", "me.com",
            "gmx.fr", "protonmail.com", "proton.me", "aol.com", "neuf.fr", "bbox.fr",
        }
    )  # fmt: skip


def _parents(domain: str) -> list[str]:
    """`mail.sub.example.fr` → itself, `sub.example.fr`, `example.fr` (never the bare suffix)."""
    labels = domain.lower().strip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


@dataclass
class DirectoryIndex:
    """Look-ups from domains and phrases to organisations, built once per directory version."""

    rules: DomainRules
    entries: dict[UUID, DirectoryEntry] = field(default_factory=dict)
    by_domain: dict[str, UUID] = field(default_factory=dict)
    phrases: dict[int, dict[tuple[str, ...], set[UUID]]] = field(default_factory=dict)
    acronyms: dict[str, set[UUID]] = field(default_factory=lambda: defaultdict(set))
    distinctive: dict[str, set[UUID]] = field(default_factory=lambda: defaultdict(set))
    _buckets: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    _starts: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _domain_kinds: dict[str, str] = field(default_factory=dict)
    _fuzzy_cache: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[DirectoryEntry], rules: DomainRules) -> "DirectoryIndex":
        index = cls(rules=rules)
        by_length: dict[int, dict[tuple[str, ...], set[UUID]]] = defaultdict(
            lambda: defaultdict(set)
        )
        token_owners: dict[str, set[UUID]] = defaultdict(set)
        for entry in entries:
            index.entries[entry.id] = entry
            for domain in entry.email_domains:
                index.by_domain.setdefault(domain.lower(), entry.id)
            for phrase in (entry.name, *entry.aliases):
                words = tuple(w for w in tokens(phrase) if w not in LEGAL_FORMS)
                if not words or all(w in STOPWORDS for w in words):
                    continue
                by_length[len(words)][words].add(entry.id)
                if len(words) == 1:
                    # A one-word name ("Véolys") is a brand: its misspellings still name it.
                    # The words of a descriptive name ("départementale") are ordinary language.
                    token_owners[words[0]].add(entry.id)
            if entry.acronym and len(entry.acronym) >= 2:
                index.acronyms[entry.acronym.upper()].add(entry.id)
        index.phrases = {length: dict(table) for length, table in by_length.items()}
        starts: dict[str, set[int]] = defaultdict(set)
        for length, table in index.phrases.items():
            for indexed in table:
                starts[indexed[0]].add(length)
        index._starts = {word: tuple(sorted(sizes, reverse=True)) for word, sizes in starts.items()}
        # A one-word name that few organisations share and is long enough can be fuzzy-matched.
        for word, owners in token_owners.items():
            if len(word) >= FUZZY_MIN_LENGTH and len(owners) <= 2 and word not in STOPWORDS:
                index.distinctive[word] = owners
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in sorted(index.distinctive):
            buckets[(word[0], len(word))].append(word)
        index._buckets = dict(buckets)
        return index

    def domain_owner(self, domain: str) -> UUID | None:
        for candidate in _parents(domain):
            owner = self.by_domain.get(candidate)
            if owner is not None:
                return owner
        return None

    def domain_kind(self, domain: str) -> str:
        """ "authority", "public", "webmail", "representative" or "other"."""
        rules = self.rules
        parents = _parents(domain)
        if any(p in rules.authority_domains for p in parents):
            return "authority"
        if any(p in rules.public_body_domains for p in parents) or any(
            domain.lower().endswith("." + s) or domain.lower() == s
            for s in rules.public_body_suffixes
        ):
            return "public"
        if any(p in rules.webmail_domains for p in parents):
            return "webmail"
        if self.domain_owner(domain) is not None:
            return "representative"
        return "other"

    def phrase_matches(self, words: list[str]) -> list[tuple[int, int, set[UUID]]]:
        """Every (start, length, organisations) where a name or alias stands in `words`,
        longest first at each position, matches not overlapping."""
        found: list[tuple[int, int, set[UUID]]] = []
        position = 0
        while position < len(words):
            # Only the phrase lengths that start with this word are tried (most words start none).
            for length in self._starts.get(words[position], ()):
                window = tuple(words[position : position + length])
                if len(window) == length and window in self.phrases[length]:
                    found.append((position, length, self.phrases[length][window]))
                    position += length
                    break
            else:
                position += 1
        return found

    def near_miss(self, word: str) -> str | None:
        """The distinctive directory word that `word` misspells, if any (one or two typos)."""
        if len(word) < FUZZY_MIN_LENGTH or word in self.distinctive or word in STOPWORDS:
            return None
        if word not in self._fuzzy_cache:
            # Typos keep the first letter and about the length: compare with those words only.
            candidates = [
                candidate
                for size in range(len(word) - 2, len(word) + 3)
                for candidate in self._buckets.get((word[0], size), ())
            ]
            best = process.extractOne(
                word,
                candidates,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=FUZZY_MIN_SIMILARITY,
            )
            if len(self._fuzzy_cache) >= FUZZY_CACHE_SIZE:
                self._fuzzy_cache.clear()
            self._fuzzy_cache[word] = best[0] if best else None
        return self._fuzzy_cache[word]


def normalised_acronym(word: str) -> str:
    return normalise(word).upper().replace(" ", "")

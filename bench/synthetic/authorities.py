"""The authorities of the synthetic installation, and their elected terms.

Several authorities share one register, as in a large deployment: a big city and its
metropolis, departments, a region, and towns that signed the charter one after another (so
the register grows over the years). One is overseas, in another time zone.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from register.domain.kinds import AuthorityKind


@dataclass(frozen=True)
class Titles:
    """How an authority's officials are called, masculine then feminine."""

    head: tuple[str, str]
    executive: tuple[str, str]
    delegate: tuple[str, str]


TITLES: dict[AuthorityKind, Titles] = {
    AuthorityKind.COMMUNE: Titles(
        ("Maire", "Maire"),
        ("Adjoint au maire", "Adjointe au maire"),
        ("Conseiller municipal délégué", "Conseillère municipale déléguée"),
    ),
    AuthorityKind.EPCI: Titles(
        ("Président de la métropole", "Présidente de la métropole"),
        ("Vice-président", "Vice-présidente"),
        ("Conseiller communautaire délégué", "Conseillère communautaire déléguée"),
    ),
    AuthorityKind.DEPARTMENT: Titles(
        ("Président du conseil départemental", "Présidente du conseil départemental"),
        ("Vice-président", "Vice-présidente"),
        ("Conseiller départemental délégué", "Conseillère départementale déléguée"),
    ),
    AuthorityKind.REGION: Titles(
        ("Président du conseil régional", "Présidente du conseil régional"),
        ("Vice-président", "Vice-présidente"),
        ("Conseiller régional délégué", "Conseillère régionale déléguée"),
    ),
}

ELECTIONS: dict[AuthorityKind, tuple[date, ...]] = {
    AuthorityKind.COMMUNE: (
        date(2008, 3, 21),
        date(2014, 4, 4),
        date(2020, 7, 3),  # the second round was postponed to June 2020
        date(2026, 3, 27),
        date(2032, 3, 26),
        date(2038, 3, 26),
    ),
    AuthorityKind.EPCI: (
        date(2008, 4, 15),
        date(2014, 4, 25),
        date(2020, 7, 15),
        date(2026, 4, 17),
        date(2032, 4, 16),
        date(2038, 4, 16),
    ),
    AuthorityKind.DEPARTMENT: (
        date(2011, 3, 31),
        date(2015, 4, 2),
        date(2021, 7, 1),
        date(2028, 3, 30),
        date(2034, 3, 30),
        date(2040, 3, 30),
    ),
    AuthorityKind.REGION: (
        date(2010, 3, 26),
        date(2016, 1, 4),
        date(2021, 7, 2),
        date(2028, 3, 31),
        date(2034, 3, 31),
        date(2040, 3, 31),
    ),
}
"""When each kind of authority installs its newly elected assembly."""


@dataclass(frozen=True)
class AuthoritySpec:
    name: str
    slug: str
    kind: AuthorityKind
    size: float
    """Its share of officials and of meetings, relative to the others."""
    joined: float
    """When it joined the register, as a fraction of the generated period (0: from the start)."""
    timezone: str = "Europe/Paris"
    policy: dict[str, object] = field(default_factory=dict)
    """Where its policy differs from the common core (`register.domain.policy.Policy`)."""

    @property
    def place(self) -> str:
        """The place it is named after: "Ville de Montclair" → "Montclair"."""
        for prefix in ("Ville de ", "Ville d'", "Département de la ", "Département du ", "Région "):
            if self.name.startswith(prefix):
                return self.name.removeprefix(prefix)
        return self.name.split(" ")[-1]

    @property
    def domain(self) -> str:
        return f"{self.slug}.fr"

    def siren_prefix(self) -> str:
        """Public bodies' SIRENs start with 2, then the kind (communes 21, departments 22…)."""
        return {
            AuthorityKind.COMMUNE: "21",
            AuthorityKind.DEPARTMENT: "22",
            AuthorityKind.REGION: "23",
            AuthorityKind.EPCI: "24",
        }.get(self.kind, "20")


AUTHORITIES: tuple[AuthoritySpec, ...] = (
    AuthoritySpec(
        "Ville de Montclair",
        "montclair",
        AuthorityKind.COMMUNE,
        14,
        0.0,
        policy={"publish_representative_names": True, "require_representative_names": True},
    ),
    AuthoritySpec("Montclair Métropole", "montclair-metropole", AuthorityKind.EPCI, 9, 0.01),
    AuthoritySpec(
        "Département du Haut-Valmont",
        "haut-valmont",
        AuthorityKind.DEPARTMENT,
        9,
        0.08,
        policy={"publication_deadline_days": 30},
    ),
    AuthoritySpec(
        "Région Armor-et-Loire",
        "armor-et-loire",
        AuthorityKind.REGION,
        10,
        0.11,
        policy={"min_present": 3, "publication_deadline_days": 30},
    ),
    AuthoritySpec("Ville de Port-Marceau", "port-marceau", AuthorityKind.COMMUNE, 7, 0.0),
    AuthoritySpec("Ville de Castelrives", "castelrives", AuthorityKind.COMMUNE, 6, 0.13),
    AuthoritySpec(
        "Ville de Villeneuve-sur-Argence",
        "villeneuve-sur-argence",
        AuthorityKind.COMMUNE,
        5,
        0.22,
        policy={"publish_representative_names": True, "require_representative_names": True},
    ),
    AuthoritySpec(
        "Ville de Saint-Pierre-des-Alizés",
        "saint-pierre-des-alizes",
        AuthorityKind.COMMUNE,
        4,
        0.25,
        timezone="Indian/Reunion",
    ),
    AuthoritySpec(
        "Communauté d'agglomération du Pays d'Argence",
        "pays-d-argence",
        AuthorityKind.EPCI,
        4,
        0.38,
    ),
    AuthoritySpec(
        "Ville de Saint-Aubin-les-Prés", "saint-aubin-les-pres", AuthorityKind.COMMUNE, 4, 0.37
    ),
    AuthoritySpec("Ville de Brémontier", "bremontier", AuthorityKind.COMMUNE, 4, 0.38),
    AuthoritySpec("Ville de Chantemerle", "chantemerle", AuthorityKind.COMMUNE, 3, 0.39),
    AuthoritySpec("Ville de Roche-Aiguë", "roche-aigue", AuthorityKind.COMMUNE, 3, 0.41),
    AuthoritySpec("Ville de Lesterre", "lesterre", AuthorityKind.COMMUNE, 3, 0.43),
    AuthoritySpec(
        "Département de la Basse-Argence",
        "basse-argence",
        AuthorityKind.DEPARTMENT,
        6,
        0.48,
        policy={"publication_deadline_days": 60},
    ),
    AuthoritySpec("Ville de Valcroze", "valcroze", AuthorityKind.COMMUNE, 3, 0.51),
    AuthoritySpec("Ville d'Auberval", "auberval", AuthorityKind.COMMUNE, 2, 0.61),
    AuthoritySpec(
        "Ville de Sainte-Colombe-du-Lac", "sainte-colombe-du-lac", AuthorityKind.COMMUNE, 2, 0.71
    ),
)


@dataclass(frozen=True)
class Term:
    """One elected term, as far as the register sees it: from `start` to `end` (exclusive;
    None while it runs)."""

    start: date
    end: date | None


def terms(kind: AuthorityKind, first: date, last: date) -> list[Term]:
    """The terms of an authority of `kind` that overlap the days from `first` to `last`."""
    elections = ELECTIONS[kind]
    found: list[Term] = []
    for start, following in zip(elections, (*elections[1:], None), strict=True):
        end = following
        if start > last or (end is not None and end <= first):
            continue
        found.append(Term(start, end if end is not None and end <= last else None))
    if not found:
        raise ValueError(f"no {kind.value} term known between {first} and {last}")
    return found


def last_day(term: Term) -> date | None:
    """The last day in office of a term's officials (None: still in office)."""
    return None if term.end is None else term.end - timedelta(days=1)

"""The interest representatives: companies, professional bodies, associations, consultancies
and foundations, national or local to one authority, a few of them asking for most meetings.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from bench.synthetic import vocabulary
from bench.synthetic.authorities import AuthoritySpec
from bench.synthetic.officials import AREAS
from bench.synthetic.sampling import Weighted, pareto_weight, time_ordered_id
from bench.synthetic.sampling import siren as new_siren
from register.domain.normalise import tokens
from register.domain.representative import InterestRepresentative
from register.services.demo import data
from register.services.demo.data import ascii_fold

COMPANY = data.COMPANY
PROFESSION = data.PROFESSION
ASSOCIATION = data.ASSOCIATION
CONSULTANCY = data.CONSULTANCY
FOUNDATION = data.FOUNDATION
CHAMBER = data.CHAMBER
UNION = data.UNION

_CATEGORIES = (COMPANY, PROFESSION, ASSOCIATION, CONSULTANCY, FOUNDATION)
_SHARES = (44, 16, 30, 6, 4)
_HATVP_SHARE = {  # registered in the HATVP répertoire: (national, local)
    COMPANY: (0.85, 0.35),
    PROFESSION: (0.9, 0.6),
    ASSOCIATION: (0.4, 0.08),
    CONSULTANCY: (1.0, 0.9),
    FOUNDATION: (0.5, 0.2),
}


@dataclass(frozen=True, eq=False)
class Organisation:
    """An interest representative, with what the generator needs to draw its meetings."""

    rep: InterestRepresentative
    areas: Weighted[str]
    people: tuple[str, ...]
    """The people who usually represent it."""
    domain: str
    home: str
    """The district its local dossiers are about."""
    favourite: int
    """Which dossier of an area it most often comes about."""
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    """What the generator derives from it again and again (attendees, classifier reasons)."""


@dataclass(frozen=True)
class Directory:
    """Every organisation, and who asks the authorities for meetings."""

    organisations: list[Organisation]
    national: Weighted[Organisation]
    local: list[Weighted[Organisation] | None]
    """Per authority (in `AUTHORITIES` order): its local organisations."""

    def draw(self, rng: random.Random, authority_index: int) -> Organisation:
        local = self.local[authority_index]
        if local is None or rng.random() < 0.3:
            return self.national.draw(rng)
        return local.draw(rng)


def _de(place: str) -> str:
    """French "of": de la Gare, du Mail, des Varennes, d'Auberval, de Montclair."""
    for article, contracted in (("les ", "des "), ("le ", "du ")):
        if place.startswith(article):
            return contracted + place.removeprefix(article)
    if ascii_fold(place[:1]).lower() in set("aeiouyh"):
        return f"d'{place}"
    return f"de {place}"


def _brand(rng: random.Random) -> str:
    return rng.choice(vocabulary.BRAND_STARTS) + rng.choice(vocabulary.BRAND_ENDS)


def _company_name(rng: random.Random, sector: vocabulary.Sector, where: str) -> str:
    brand, business = _brand(rng), rng.choice(sector.businesses)
    form = rng.random()
    if form < 0.1:
        return f"Groupe {brand}"
    if form < 0.25 and where:
        return f"{brand} {business} {where}"
    return f"{brand} {business}"


def _name(rng: random.Random, category: str, sector: vocabulary.Sector, where: str) -> str:
    """A name for an organisation of `category` in `sector`, based in `where` (a town, or ""
    for a national one)."""
    if category == COMPANY:
        return _company_name(rng, sector, where)
    if category == PROFESSION:
        body = rng.choice(sector.professions)
        return f"{body} {_de(where)}" if where else f"{body} de France"
    if category == ASSOCIATION:
        cause = rng.choice(sector.causes)
        place = rng.choice(vocabulary.PLACES) if rng.random() < 0.5 else where
        return f"{cause} {_de(place or rng.choice(vocabulary.TOWNS))}"
    if category == CONSULTANCY:
        return rng.choice(vocabulary.CONSULTANCY_FORMS).format(brand=_brand(rng))
    return f"Fondation {_brand(rng)}" + (f" {_de(where)}" if where and rng.random() < 0.5 else "")


def _category_of(category: str, name: str) -> str:
    """Professional bodies named "Syndicat…" or "Chambre…" are unions or chambers."""
    if category == PROFESSION and name.startswith("Syndicat"):
        return UNION
    if category == PROFESSION and name.startswith("Chambre"):
        return CHAMBER
    return category


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if len(w) > 3 and w[0].isalpha()).upper()[:8]


def _unique(names: set[str], make: Callable[[], str]) -> str:
    """A name not in `names`: drawn again on a clash, numbered if clashes go on."""
    for _ in range(20):
        name = make()
        if name not in names:
            return name
    base = make()
    n = 2
    while f"{base} {n}" in names:
        n += 1
    return f"{base} {n}"


def _identifiers(
    rng: random.Random, category: str, national: bool, sirens: set[str]
) -> dict[str, str | None]:
    foreign = national and category == COMPANY and rng.random() < 0.04
    siren = None
    if not foreign:
        siren = new_siren(rng)
        while siren in sirens:
            siren = new_siren(rng)
        sirens.add(siren)
    registered = rng.random() < _HATVP_SHARE[category][0 if national else 1]
    hatvp_id = None
    if registered:
        hatvp_id = siren or f"H{rng.randrange(10**8, 10**9)}"
    eu = national and category in {COMPANY, PROFESSION} and rng.random() < 0.25
    rna = data.rna(rng) if category == ASSOCIATION and rng.random() < 0.7 else None
    return {
        "siren": siren,
        "hatvp_id": hatvp_id,
        "eu_transparency_id": data.eu_transparency_id(rng) if eu else None,
        "rna": rna,
    }


def _people(rng: random.Random) -> tuple[str, ...]:
    people: list[str] = []
    while len(people) < rng.choice((2, 2, 3)):
        feminine = rng.random() < 0.5
        first = rng.choice(vocabulary.FEMININE_NAMES if feminine else vocabulary.MASCULINE_NAMES)
        name = f"{first} {rng.choice(vocabulary.LAST_NAMES)}"
        if name not in people:
            people.append(name)
    return tuple(people)


def _domain(name: str, category: str, taken: set[str]) -> str:
    stem = "-".join(tokens(name)[:4])[:50].strip("-") or "organisation"
    suffix = ".org" if category in {ASSOCIATION, FOUNDATION} else ".fr"
    domain, n = stem + suffix, 1
    while domain in taken:
        n += 1
        domain = f"{stem}-{n}{suffix}"
    taken.add(domain)
    return domain


def directory(
    rng: random.Random,
    specs: tuple[AuthoritySpec, ...],
    *,
    count: int,
    created_at: datetime,
) -> Directory:
    """`count` organisations: a quarter national, the rest local to an authority (bigger
    authorities have more), each with a heavy-tailed propensity to ask for meetings."""
    names: set[str] = set()
    sirens: set[str] = set()
    domains: set[str] = set()
    sizes = Weighted(list(range(len(specs))), [spec.size for spec in specs])
    categories = Weighted(list(_CATEGORIES), list(_SHARES))
    organisations: list[Organisation] = []
    national_pool: list[tuple[Organisation, float]] = []
    local_pools: list[list[tuple[Organisation, float]]] = [[] for _ in specs]
    for _ in range(count):
        national = rng.random() < 0.25
        home_index = None if national else sizes.draw(rng)
        where = "" if home_index is None else specs[home_index].place
        category = categories.draw(rng)
        sector = rng.choice(vocabulary.SECTORS)
        name = _unique(names, partial(_name, rng, category, sector, where))
        names.add(name)
        areas = tuple(rng.sample(AREAS, k=3)) if category == CONSULTANCY else sector.areas
        domain = _domain(name, category, domains)
        acronym = _acronym(name) if category == PROFESSION and rng.random() < 0.4 else None
        identifiers = _identifiers(rng, category, national, sirens)
        rep = InterestRepresentative(
            id=time_ordered_id(rng, created_at),
            name=name,
            aliases=(name.split(" ")[0],) if category == COMPANY and rng.random() < 0.3 else (),
            acronym=acronym if acronym and len(acronym) >= 2 else None,
            email_domains=(domain,),
            website=f"https://www.{domain}",
            category=_category_of(category, name),
            hatvp_id=identifiers["hatvp_id"],
            siren=identifiers["siren"],
            rna=identifiers["rna"],
            eu_transparency_id=identifiers["eu_transparency_id"],
            hatvp_registered=identifiers["hatvp_id"] is not None,
        )
        organisation = Organisation(
            rep=rep,
            areas=Weighted(list(areas), [3.0, 1.5, 1.0][: len(areas)]),
            people=_people(rng),
            domain=domain,
            home=rng.choice(vocabulary.PLACES),
            favourite=rng.randrange(1000),
        )
        weight = pareto_weight(rng, 1.16, 400.0) * (3.0 if national else 1.0)
        weight *= {CONSULTANCY: 1.5, ASSOCIATION: 0.7}.get(category, 1.0)
        organisations.append(organisation)
        pool = national_pool if home_index is None else local_pools[home_index]
        pool.append((organisation, weight))
    if not national_pool:
        raise ValueError("too few organisations: none is national")
    return Directory(
        organisations=organisations,
        national=Weighted([o for o, _ in national_pool], [w for _, w in national_pool]),
        local=[
            Weighted([o for o, _ in pool], [w for _, w in pool]) if pool else None
            for pool in local_pools
        ],
    )


def summary_names(organisation: Organisation) -> str:
    """How the organisation's name is matched in a calendar title (the classifier's words)."""
    return " ".join(tokens(organisation.rep.name))

"""Each authority's officials, term by term, and who is likely to hold or attend a meeting.

Every term has the same positions (the head, the executive, delegated councillors, the
cabinet, senior agents); at each election some holders stay (re-elected, or kept on by the new
executive) and the others are replaced, so over ten years an authority has had more officials
than it has positions.
"""

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum
from functools import cached_property
from zoneinfo import ZoneInfo

from bench.synthetic import vocabulary
from bench.synthetic.authorities import TITLES, AuthoritySpec, Term, last_day, terms
from bench.synthetic.sampling import Weighted, time_ordered_id
from register.domain.authority import Authority
from register.domain.kinds import OfficialKind
from register.domain.official import Official
from register.domain.policy import DEFAULT_POLICY_AREAS
from register.services.demo.data import email_address, slugify

AREAS: tuple[str, ...] = tuple(area.code for area in DEFAULT_POLICY_AREAS)
AREA_LABELS: dict[str, str] = {area.code: area.label.fr for area in DEFAULT_POLICY_AREAS}


class Post(Enum):
    """A position; its value: (elected?, weight as the holder of meetings, share kept on at
    the next term)."""

    HEAD = (True, 5.0, 0.6)
    EXECUTIVE = (True, 4.0, 0.5)
    DELEGATE = (True, 2.0, 0.45)
    CABINET_DIRECTOR = (False, 2.0, 0.3)
    CABINET_CHIEF = (False, 1.2, 0.3)
    ADVISER = (False, 3.0, 0.35)
    GENERAL_DIRECTOR = (False, 0.8, 0.6)
    DIRECTOR = (False, 1.5, 0.7)


@dataclass(eq=False)
class Holder:
    """Someone who held a position, possibly over several terms."""

    post: Post
    first_name: str
    last_name: str
    feminine: bool
    areas: tuple[str, ...]
    """The policy areas they follow; empty for those who follow them all."""
    weight: float
    start: date
    end: date | None
    official: Official | None = field(default=None)

    def follows(self, area: str) -> bool:
        return not self.areas or area in self.areas


@dataclass(frozen=True)
class Team:
    """Who may hold or attend a meeting in one policy area during one term."""

    holders: Weighted[Holder]
    companions: Weighted[Holder]


@dataclass
class AuthorityStaff:
    """An authority, its officials, and its teams term by term."""

    spec: AuthoritySpec
    authority: Authority
    joined: date
    holders: list[Holder]
    term_starts: list[date]
    teams: list[dict[str, Team]]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.authority.timezone)

    @cached_property
    def joined_at(self) -> datetime:
        """Midnight (UTC) of the day it joined the register."""
        return datetime.combine(self.joined, time(0), tzinfo=UTC)

    def team(self, day: date, area: str) -> Team:
        return self.teams[max(0, bisect(self.term_starts, day) - 1)][area]


def _positions(count: int) -> list[Post]:
    executives = max(2, round(0.30 * count))
    delegates = round(0.20 * count)
    cabinet = max(2, round(0.20 * count))
    agents = max(1, count - 1 - executives - delegates - cabinet)
    return [
        Post.HEAD,
        *[Post.EXECUTIVE] * executives,
        *[Post.DELEGATE] * delegates,
        Post.CABINET_DIRECTOR,
        Post.CABINET_CHIEF,
        *[Post.ADVISER] * (cabinet - 2),
        Post.GENERAL_DIRECTOR,
        *[Post.DIRECTOR] * (agents - 1),
    ]


def _portfolios(rng: random.Random, posts: list[Post]) -> list[tuple[str, ...]]:
    """The areas each position follows this term: the executive shares every area, advisers
    split them, delegates and directors take one each."""
    portfolios: list[list[str]] = [[] for _ in posts]
    for post in (Post.EXECUTIVE, Post.ADVISER, Post.DELEGATE, Post.DIRECTOR):
        indices = [n for n, p in enumerate(posts) if p is post]
        if not indices:
            continue
        areas = list(AREAS)
        rng.shuffle(areas)
        if post in {Post.DELEGATE, Post.DIRECTOR}:
            for position, n in enumerate(indices):
                portfolios[n].append(areas[position % len(areas)])
            continue
        for position, area in enumerate(areas):
            portfolios[indices[position % len(indices)]].append(area)
        for n in indices:
            if not portfolios[n]:
                portfolios[n].append(rng.choice(AREAS))
    return [tuple(p) for p in portfolios]


def _person(rng: random.Random) -> tuple[str, str, bool]:
    feminine = rng.random() < 0.5
    first = rng.choice(vocabulary.FEMININE_NAMES if feminine else vocabulary.MASCULINE_NAMES)
    return first, rng.choice(vocabulary.LAST_NAMES), feminine


def _holders(rng: random.Random, spans: list[Term], count: int) -> list[Holder]:
    """Everyone who held one of `count` positions during `spans`."""
    posts = _positions(count)
    holders: list[Holder] = []
    previous: list[Holder | None] = [None] * len(posts)
    for term in spans:
        portfolios = _portfolios(rng, posts)
        current: list[Holder | None] = []
        for n, post in enumerate(posts):
            before = previous[n]
            if before is not None and rng.random() < post.value[2]:
                before.end = last_day(term)
                current.append(before)
                continue
            first, last, feminine = _person(rng)
            holder = Holder(
                post=post,
                first_name=first,
                last_name=last,
                feminine=feminine,
                areas=() if post in _ALL_AREAS else portfolios[n],
                weight=post.value[1] * rng.lognormvariate(0.0, 0.4),
                start=term.start,
                end=last_day(term),
            )
            holders.append(holder)
            current.append(holder)
        previous = current
    return holders


_ALL_AREAS = frozenset(
    {Post.HEAD, Post.CABINET_DIRECTOR, Post.CABINET_CHIEF, Post.GENERAL_DIRECTOR}
)


def _role(spec: AuthoritySpec, holder: Holder) -> tuple[str, str]:
    """The role and portfolio an official's public page shows."""
    f = 1 if holder.feminine else 0
    titles = TITLES[spec.kind]
    areas = ", ".join(AREA_LABELS[a] for a in holder.areas)
    post = holder.post
    roles: dict[Post, tuple[str, str]] = {
        Post.HEAD: (titles.head[f], "Administration générale"),
        Post.EXECUTIVE: (titles.executive[f], areas),
        Post.DELEGATE: (titles.delegate[f], areas),
        Post.CABINET_DIRECTOR: (
            ("Directeur de cabinet", "Directrice de cabinet")[f],
            "Coordination du cabinet",
        ),
        Post.CABINET_CHIEF: (
            ("Chef de cabinet", "Cheffe de cabinet")[f],
            "Agenda, protocole et relations publiques",
        ),
        Post.ADVISER: (("Conseiller technique", "Conseillère technique")[f], areas),
        Post.GENERAL_DIRECTOR: (
            ("Directeur général des services", "Directrice générale des services")[f],
            "Direction générale des services",
        ),
        Post.DIRECTOR: (
            f"{('Directeur', 'Directrice')[f]} {vocabulary.DIRECTIONS[holder.areas[0]]}"
            if holder.areas
            else ("Directeur", "Directrice")[f],
            areas,
        ),
    }
    return roles[post]


def _officials(
    rng: random.Random, spec: AuthoritySpec, authority: Authority, holders: list[Holder]
) -> None:
    """Give every holder their `Official`, with a slug unique within the authority."""
    slugs: set[str] = set()
    zone = ZoneInfo(spec.timezone)
    for holder in holders:
        full_name = f"{holder.first_name} {holder.last_name}"
        base = slugify(full_name)
        slug, n = base, 1
        while slug in slugs:
            n += 1
            slug = f"{base}-{n}"
        slugs.add(slug)
        role, portfolio = _role(spec, holder)
        moment = datetime.combine(holder.start, time(9), tzinfo=zone)
        holder.official = Official(
            id=time_ordered_id(rng, moment),
            authority_id=authority.id,
            slug=slug,
            full_name=full_name,
            kind=OfficialKind.ELECTED if holder.post.value[0] else OfficialKind.STAFF,
            role=role,
            portfolio=portfolio,
            mandate_start=holder.start,
            mandate_end=holder.end,
            email=email_address(full_name, spec.domain).replace("@", f"{n}@" if n > 1 else "@"),
        )


def _teams(holders: list[Holder], term: Term) -> dict[str, Team]:
    present = [
        h for h in holders if h.start <= term.start and (h.end is None or h.end >= term.start)
    ]
    teams: dict[str, Team] = {}
    for area in AREAS:
        pool = [h for h in present if h.follows(area)]
        teams[area] = Team(
            holders=Weighted(pool, [h.weight * (1.0 if h.areas else 0.3) for h in pool]),
            companions=Weighted(pool, [h.weight * (1.2 if h.areas else 0.5) for h in pool]),
        )
    return teams


def authority_staff(
    rng: random.Random,
    spec: AuthoritySpec,
    authority: Authority,
    *,
    joined: date,
    today: date,
    officials: int,
) -> AuthorityStaff:
    """The authority's officials from when it joined the register until `today`; `officials`
    is roughly how many distinct people that makes."""
    spans = terms(spec.kind, joined, today)
    positions = max(6, round(officials / (1 + 0.5 * (len(spans) - 1))))
    holders = _holders(rng, spans, positions)
    _officials(rng, spec, authority, holders)
    return AuthorityStaff(
        spec=spec,
        authority=authority,
        joined=joined,
        holders=holders,
        term_starts=[term.start for term in spans],
        teams=[_teams(holders, term) for term in spans],
    )

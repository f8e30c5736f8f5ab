"""The installation before its meetings: authorities, their officials, the organisations."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from bench.synthetic.authorities import AUTHORITIES, AuthoritySpec
from bench.synthetic.officials import AuthorityStaff, authority_staff
from bench.synthetic.organisations import Directory, directory
from bench.synthetic.rows import by_name
from bench.synthetic.sampling import Weighted, time_ordered_id
from register.domain.authority import Authority
from register.domain.official import Official
from register.domain.policy import Policy
from register.domain.representative import InterestRepresentative
from register.services.demo import data
from register.store.repositories.representatives import representative_values


@dataclass
class World:
    """Everything the meetings refer to, and who joined the register when."""

    first_day: date
    last_day: date
    now: datetime
    staffs: list[AuthorityStaff]
    directory: Directory
    authorities: dict[UUID, Authority]
    officials: dict[UUID, Official]
    representatives: dict[UUID, InterestRepresentative]

    def joined_by(self, day: date) -> Weighted[int] | None:
        """The authorities on the register on `day`, weighted by size (None: none yet)."""
        indices = [n for n, staff in enumerate(self.staffs) if staff.joined <= day]
        if not indices:
            return None
        return Weighted(indices, [self.staffs[n].spec.size for n in indices])

    def authority_rows(self) -> list[dict[str, Any]]:
        """As `register.store.repositories.authorities.save_authority` writes them (the
        policy's required fields sorted, so that the same seed gives the same bytes)."""
        rows = []
        for staff in self.staffs:
            authority = staff.authority
            policy = authority.policy.model_dump(mode="json")
            policy["required_fields"] = sorted(policy["required_fields"])
            joined = _at(staff.joined, staff.zone)
            rows.append(
                {
                    "id": authority.id,
                    "slug": authority.slug,
                    "name": authority.name,
                    "kind": authority.kind.value,
                    "siren": authority.siren,
                    "timezone": authority.timezone,
                    "website": authority.website,
                    "policy": policy,
                    "created_at": joined,
                    "updated_at": joined,
                }
            )
        return rows

    def official_rows(self) -> list[dict[str, Any]]:
        """As `register.store.repositories.officials.save_official` writes them."""
        rows = []
        for staff in self.staffs:
            for holder in staff.holders:
                official = holder.official
                if official is None:
                    continue
                created = _at(max(holder.start, staff.joined), staff.zone)
                rows.append(
                    {
                        "id": official.id,
                        "authority": official.authority_id,
                        "slug": official.slug,
                        "full_name": official.full_name,
                        "kind": official.kind.value,
                        "role": official.role,
                        "portfolio": official.portfolio,
                        "mandate_start": official.mandate_start,
                        "mandate_end": official.mandate_end,
                        "in_scope": official.in_scope,
                        "email": official.email,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
        return rows

    def representative_rows(self) -> list[dict[str, Any]]:
        """As `register.store.repositories.representatives.save_representative` writes them:
        imported from the national registers when the installation opened."""
        opened = _at(self.first_day, ZoneInfo("Europe/Paris"))
        return [
            {
                **by_name(representative_values(o.rep)),
                "id": o.rep.id,
                "created_at": opened,
                "updated_at": opened,
            }
            for o in self.directory.organisations
        ]


def _at(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(9), tzinfo=zone).astimezone(UTC)


def build_world(
    rng: random.Random,
    *,
    now: datetime,
    years: float,
    officials: int,
    organisations: int,
    specs: tuple[AuthoritySpec, ...] = AUTHORITIES,
) -> World:
    """Authorities joining over `years` up to `now`, about `officials` officials in all, and
    `organisations` interest representatives."""
    last_day = now.astimezone(ZoneInfo("Europe/Paris")).date()
    first_day = last_day - timedelta(days=round(365.25 * years))
    span = (last_day - first_day).days
    total_size = sum(spec.size for spec in specs)
    staffs: list[AuthorityStaff] = []
    for spec in specs:
        joined = first_day + timedelta(days=round(spec.joined * span))
        authority = Authority(
            id=time_ordered_id(rng, _at(joined, ZoneInfo(spec.timezone))),
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            siren=data.siren(rng, spec.siren_prefix()),
            timezone=spec.timezone,
            website=f"https://www.{spec.domain}",
            policy=Policy.model_validate(spec.policy),
        )
        staffs.append(
            authority_staff(
                rng,
                spec,
                authority,
                joined=joined,
                today=last_day,
                officials=max(1, round(officials * spec.size / total_size)),
            )
        )
    found = directory(
        rng, specs, count=organisations, created_at=_at(first_day, ZoneInfo("Europe/Paris"))
    )
    return World(
        first_day=first_day,
        last_day=last_day,
        now=now,
        staffs=staffs,
        directory=found,
        authorities={staff.authority.id: staff.authority for staff in staffs},
        officials={
            h.official.id: h.official
            for staff in staffs
            for h in staff.holders
            if h.official is not None
        },
        representatives={o.rep.id: o.rep for o in found.organisations},
    )

"""The demo authority's officials and organisations, with who follows which policy area."""

from dataclasses import dataclass
from uuid import UUID

from register.domain.authority import Authority
from register.domain.kinds import (
    OfficialKind,
)
from register.domain.official import Official
from register.domain.representative import InterestRepresentative
from register.services.demo import data
from register.store.ids import new_id


@dataclass(frozen=True)
class Roster:
    """The authority's officials, with the policy areas each one follows."""

    officials: tuple[Official, ...]
    areas: dict[UUID, tuple[str, ...]]
    feminine: dict[UUID, bool]

    @classmethod
    def build(cls, authority: Authority) -> "Roster":
        officials: list[Official] = []
        areas: dict[UUID, tuple[str, ...]] = {}
        feminine: dict[UUID, bool] = {}
        for spec in data.OFFICIALS:
            elected = spec.kind is OfficialKind.ELECTED
            official = Official(
                id=new_id(),
                authority_id=authority.id,
                slug=data.slugify(spec.full_name),
                full_name=spec.full_name,
                kind=spec.kind,
                role=spec.role,
                portfolio=spec.portfolio,
                mandate_start=data.MANDATE_START if elected else None,
                email=data.email_address(spec.full_name, data.AUTHORITY_DOMAIN),
            )
            officials.append(official)
            areas[official.id] = spec.areas
            feminine[official.id] = spec.feminine
        return cls(tuple(officials), areas, feminine)

    @property
    def mayor(self) -> Official:
        return next(o for o in self.officials if o.role == "Maire")

    @property
    def cabinet(self) -> tuple[Official, ...]:
        """Director and head of cabinet: staff who follow every area."""
        return tuple(
            o for o in self.officials if o.kind is OfficialKind.STAFF and not self.areas[o.id]
        )

    def deputy_for(self, area: str) -> Official | None:
        return next(
            (
                o
                for o in self.officials
                if o.kind is OfficialKind.ELECTED
                and o is not self.mayor
                and area in self.areas[o.id]
            ),
            None,
        )

    def adviser_for(self, area: str) -> Official | None:
        return next(
            (
                o
                for o in self.officials
                if o.kind is OfficialKind.STAFF and area in self.areas[o.id]
            ),
            None,
        )

    def holder(self, key: str) -> Official:
        """Whose diary holds an entry: "mayor", "cabinet", or the deputy for an area."""
        if key == "cabinet":
            return self.cabinet[0]
        return (None if key == "mayor" else self.deputy_for(key)) or self.mayor


@dataclass(frozen=True)
class DemoOrganisation:
    spec: data.OrgSpec
    rep: InterestRepresentative
    people: tuple[str, ...]
    """The people who usually represent the organisation."""

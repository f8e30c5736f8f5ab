"""One meeting with interest representatives as it happened: who, when, about what, and what
the officials' calendars and the classifier made of it."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from uuid import UUID

from bench.synthetic import vocabulary
from bench.synthetic.officials import AuthorityStaff, Holder
from bench.synthetic.organisations import Organisation
from bench.synthetic.sampling import Weighted, some
from bench.synthetic.timeline import DURATIONS, START_TIMES, meeting_format
from register.domain.calendar_data import Attendee, CalendarData
from register.domain.classification import Classification, Reason
from register.domain.classifier.classify import FIELD_NAMES, WEIGHTS
from register.domain.collegiality import CollegialityRecord, OtherAttendee, RepresentativePresence
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    Initiative,
    MeetingFormat,
    Visibility,
)
from register.domain.meeting import TimeSpan
from register.domain.normalise import tokens
from register.domain.text import Message
from register.services.demo import data

INITIATIVES = Weighted(
    [Initiative.REPRESENTATIVE, Initiative.OFFICIAL, Initiative.JOINT], [55, 25, 20]
)
COMPANIONS = Weighted([1, 2, 3], [58, 35, 7])
"""Officials present besides the one whose diary holds the meeting."""
LOCATIONS = {
    MeetingFormat.IN_PERSON: (
        "Hôtel de ville, bureau {who}",
        "Salle du conseil",
        "Visite sur site",
    ),
    MeetingFormat.VIDEO: ("Visioconférence", "Visio (lien dans l'invitation)"),
    MeetingFormat.PHONE: ("Téléphone",),
}


@dataclass(frozen=True)
class Encounter:
    """A meeting with one or two organisations, and its complete collegiality record."""

    staff: AuthorityStaff
    organisations: tuple[Organisation, ...]
    area: str
    dossier: str
    stage: str
    owner: Holder
    companions: tuple[Holder, ...]
    when: TimeSpan
    record: CollegialityRecord

    @property
    def owner_id(self) -> UUID:
        return _id(self.owner)


def _id(holder: Holder) -> UUID:
    if holder.official is None:
        raise ValueError("a holder without an official record")
    return holder.official.id


def _dossier(rng: random.Random, organisation: Organisation, area: str) -> str:
    """Organisations mostly come back about the same dossiers, in their own district."""
    dossiers = vocabulary.DOSSIERS[area]
    if rng.random() < 0.6:
        template = dossiers[organisation.favourite % len(dossiers)]
    else:
        template = rng.choice(dossiers)
    place = organisation.home if rng.random() < 0.6 else rng.choice(vocabulary.PLACES)
    return template.format(place=place)


def _when(rng: random.Random, staff: AuthorityStaff, day: date) -> TimeSpan:
    start = datetime.combine(day, START_TIMES.draw(rng), tzinfo=staff.zone)
    end = start + timedelta(minutes=DURATIONS.draw(rng))
    return TimeSpan(
        starts_at=start.astimezone(UTC),
        ends_at=end.astimezone(UTC),
        timezone=staff.authority.timezone,
        all_day=False,
    )


def encounter(
    rng: random.Random,
    staff: AuthorityStaff,
    organisation: Organisation,
    second: Organisation | None,
    day: date,
) -> Encounter:
    """A meeting of `organisation` (and `second`, if any) with the authority on `day`."""
    area = organisation.areas.draw(rng)
    team = staff.team(day, area)
    owner = team.holders.draw(rng)
    companions = team.companions.draw_distinct(rng, COMPANIONS.draw(rng), excluded=owner)
    policy = staff.authority.policy
    others: list[OtherAttendee] = []
    if rng.random() < 0.25 or 1 + len(companions) < policy.min_present:
        role, name = rng.choice(data.OTHER_ATTENDEES[area])
        others.append(_other_attendee(role, name))
    while 1 + len(companions) + len(others) < policy.min_present:
        others.append(_other_attendee("Chargé de mission", None))
    organisations = (organisation,) if second is None else (organisation, second)
    dossier, stage = _dossier(rng, organisation, area), rng.choice(data.STAGES)
    record = CollegialityRecord(
        officials_present=(_id(owner), *(_id(c) for c in companions)),
        other_attendees=tuple(others),
        representatives=tuple(
            RepresentativePresence(
                representative_id=o.rep.id,
                people=some(rng, o.people, rng.choice((1, 1, 2))),
            )
            for o in organisations
        ),
        subject=f"{dossier} : {stage}",
        policy_area=area,
        format=meeting_format(rng, day),
        initiative=INITIATIVES.draw(rng),
        documents=(),
    )
    return Encounter(
        staff=staff,
        organisations=organisations,
        area=area,
        dossier=dossier,
        stage=stage,
        owner=owner,
        companions=tuple(companions),
        when=_when(rng, staff, day),
        record=record,
    )


@lru_cache(maxsize=1024)
def _other_attendee(role: str, name: str | None) -> OtherAttendee:
    return OtherAttendee(role=role, name=name)


@lru_cache(maxsize=16384)
def _attendee(email: str | None, name: str, role: str, status: str | None = None) -> Attendee:
    """Attendees recur from meeting to meeting: one frozen value each."""
    return Attendee(email=email, name=name, role=role, status=status)


def _representatives(
    organisation: Organisation, people: tuple[str, ...], with_email: bool
) -> tuple[Attendee, ...]:
    """The organisation's people in a diary, with or without their e-mail addresses."""
    key = (people, with_email)
    found: tuple[Attendee, ...] | None = organisation.memo.get(key)
    if found is None:
        found = organisation.memo[key] = tuple(
            Attendee(
                email=data.email_address(person, organisation.domain) if with_email else None,
                name=person,
                role="REQ-PARTICIPANT",
                status="ACCEPTED",
            )
            for person in people
        )
    return found


def _reason(rule: str, field: str, organisation: Organisation) -> Reason:
    """Evidence worded as `register.domain.classifier.classify` words it (kept: an
    organisation comes back, and so does the evidence)."""
    key = ("reason", rule, field)
    found: Reason | None = organisation.memo.get(key)
    if found is None:
        found = organisation.memo[key] = _new_reason(rule, field, organisation)
    return found


def _new_reason(rule: str, field: str, organisation: Organisation) -> Reason:
    name = organisation.rep.name
    matched = organisation.domain
    if rule == "email_domain":
        fr = f"Un participant utilise le domaine de messagerie de {name}."
        en = f"An attendee uses the e-mail domain of {name}."
    else:
        where_fr, where_en = FIELD_NAMES[field]
        matched = " ".join(tokens(name))
        fr, en = f"{where_fr.capitalize()} nomme {name}.", f"{where_en.capitalize()} names {name}."
    return Reason(
        rule=rule,
        field=field,
        matched=matched,
        representative_id=organisation.rep.id,
        explanation=Message(fr=fr, en=en),
    )


def calendar_and_classification(
    rng: random.Random,
    meeting: Encounter,
    *,
    reviewed: bool,
    seen_at: datetime,
    cancelled: bool = False,
) -> tuple[CalendarData, Classification]:
    """What the diary said (staff only: e-mail addresses, names) and the classifier's verdict:
    an attendee's e-mail domain, the organisation named in the title, or both."""
    main = meeting.organisations[0]
    by_email, by_name = rng.choice(((True, False), (True, True), (False, True), (True, False)))
    if by_name:
        summary = rng.choice((f"RDV {main.rep.name}", f"{main.rep.name} - {meeting.dossier}"))
    else:
        summary = rng.choice((f"RDV {meeting.dossier}", f"Réunion {meeting.dossier}"))
    reasons: list[Reason] = []
    found: list[UUID] = []
    for position, organisation in enumerate(meeting.organisations):
        if by_email:
            reasons.append(_reason("email_domain", "attendees", organisation))
        if by_name and position == 0:
            reasons.append(_reason("name", "summary", organisation))
        if by_email or position == 0:
            found.append(organisation.rep.id)
    miss = 1.0
    for reason in reasons:
        miss *= 1.0 - WEIGHTS.get(f"{reason.rule}:{reason.field}", WEIGHTS.get(reason.rule, 0.5))
    classification = Classification(
        kind=ClassificationKind.INTEREST_REPRESENTATIVE,
        confidence=round(min(0.99, 1.0 - miss), 3),
        reasons=tuple(reasons),
        representative_ids=tuple(found),
        decided_by=Decider.STAFF if reviewed and rng.random() < 0.3 else Decider.RULE,
    )
    owner = meeting.owner.official
    attendees = [
        _attendee(c.official.email, c.official.full_name, "REQ-PARTICIPANT")
        for c in meeting.companions
        if c.official is not None
    ]
    for organisation, presence in zip(
        meeting.organisations, meeting.record.representatives, strict=True
    ):
        attendees.extend(_representatives(organisation, presence.people, by_email))
    how = meeting.record.format or MeetingFormat.IN_PERSON
    who = "du maire" if meeting.owner.areas == () else "des adjoints"
    description = ""
    if meeting.record.initiative is Initiative.REPRESENTATIVE:
        contact = meeting.record.representatives[0].people[0]
        description = f"Demande de rendez-vous de {contact} ({main.rep.name})."
    calendar = CalendarData(
        summary=f"Annulé : {summary}" if cancelled else summary,
        location=rng.choice(LOCATIONS[how]).format(who=who),
        description=description,
        organizer=_attendee(owner.email, owner.full_name, "CHAIR") if owner else None,
        attendees=tuple(attendees),
        categories=(),
        visibility=Visibility.PUBLIC,
        sequence=rng.choice((0, 0, 1, 2)),
        last_modified=seen_at,
    )
    return calendar, classification

"""Planning the demo's meetings: when, with whom, about what, and how far staff took each one."""

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum, auto
from typing import Any, TypeVar
from uuid import UUID

from register.domain.authority import Authority
from register.domain.calendar_data import Attendee, CalendarData
from register.domain.classification import Classification, Reason
from register.domain.collegiality import CollegialityRecord, OtherAttendee, RepresentativePresence
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    Initiative,
    LegalGround,
    MeetingFormat,
    MeetingStatus,
    Visibility,
)
from register.domain.meeting import Meeting, TimeSpan
from register.domain.official import Official
from register.domain.publication import PublicationAction
from register.domain.text import Message
from register.services.demo import data
from register.services.demo.roster import DemoOrganisation, Roster
from register.store.ids import new_id

PAST_DAYS = 243  # about eight months
FUTURE_DAYS = 14
RECENT = timedelta(days=40)  # the autumn's busier weeks, and the unpublished backlog

INTEREST_PUBLISHED, INTEREST_CORRECTED, INTEREST_WITHDRAWN = 150, 15, 5
INTEREST_READY, INTEREST_DRAFT = 25, 45
INTEREST_PAST = (
    INTEREST_PUBLISHED + INTEREST_CORRECTED + INTEREST_WITHDRAWN + INTEREST_READY + INTEREST_DRAFT
)
FUTURE_INTEREST = 5
INSTITUTIONAL, INTERNAL = 17, 15
FUTURE_INSTITUTIONAL, FUTURE_INTERNAL = 1, 1


_Item = TypeVar("_Item")


class Target(Enum):
    """Where an interest meeting should end up."""

    DRAFT = auto()
    READY = auto()
    PUBLISHED = auto()
    CORRECTED = auto()
    WITHDRAWN = auto()


@dataclass(frozen=True)
class Step:
    """One publication action, replayed in chronological order so the log's chain is too."""

    moment: datetime
    order: int
    meeting_id: UUID
    action: PublicationAction
    reason: str | None = None
    legal_ground: LegalGround | None = None
    record: CollegialityRecord | None = None
    """Written over the meeting's record just before the action (a correction's fix)."""


@dataclass(frozen=True)
class _Draft:
    """An interest meeting as it happened, before the demo decides how far staff took it."""

    org: DemoOrganisation
    second: DemoOrganisation | None
    topic: data.Topic
    stage: str
    owner: Official
    companions: tuple[Official, ...]
    when: TimeSpan
    format: MeetingFormat
    initiative: Initiative

    @property
    def subject(self) -> str:
        return f"{self.topic.title} : {self.stage}"

    @property
    def ends_at(self) -> datetime:
        return self.when.ends_at or self.when.starts_at


def _weighted_sample(
    rng: random.Random, items: Sequence[_Item], weights: Sequence[float], k: int
) -> list[_Item]:
    """k distinct items, likelier the heavier (Efraimidis-Spirakis keys)."""
    keyed = sorted(((rng.random() ** (1.0 / w), n) for n, w in enumerate(weights)), reverse=True)
    return [items[n] for _, n in keyed[: max(k, 0)]]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Planner:
    """Builds every meeting (as a draft) and the publication steps that take each further."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        authority: Authority,
        roster: Roster,
        organisations: tuple[DemoOrganisation, ...],
    ) -> None:
        self.rng = rng
        self.now = now
        self.authority = authority
        self.zone = authority.zone
        self.roster = roster
        self.organisations = organisations
        self.meetings: list[Meeting] = []
        self.steps: list[Step] = []
        self._busy: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
        self._withdrawn = 0
        today = now.astimezone(self.zone).date()
        self.past_days = [
            day
            for day in (today - timedelta(days=n) for n in range(PAST_DAYS, 0, -1))
            if data.is_working_day(day)
        ]
        self.past_weights = [self._activity(day, today) for day in self.past_days]
        self.future_days = [
            day
            for day in (today + timedelta(days=n) for n in range(1, FUTURE_DAYS + 1))
            if data.is_working_day(day)
        ]

    @staticmethod
    def _activity(day: date, today: date) -> float:
        """Quieter in summer and at Christmas, busier in recent weeks."""
        if day.month == 8 or (day.month == 12 and day.day >= 22):
            weight = 0.3
        elif day.month == 7 and day.day >= 14:
            weight = 0.6
        else:
            weight = 1.0
        return weight * (1.6 if today - day <= RECENT else 1.0)

    def plan(self) -> None:
        past = [self._draft(future=False) for _ in range(INTEREST_PAST)]
        for draft, target in zip(past, self._targets(past), strict=True):
            self._interest(draft, target)
        for n in range(FUTURE_INTEREST):
            status = (MeetingStatus.TENTATIVE, MeetingStatus.CANCELLED)[n] if n < 2 else None
            self._interest(self._draft(future=True), Target.DRAFT, status=status)
        for future, count in ((False, INSTITUTIONAL), (True, FUTURE_INSTITUTIONAL)):
            for _ in range(count):
                self._institutional(future=future)
        for future, count in ((False, INTERNAL), (True, FUTURE_INTERNAL)):
            for _ in range(count):
                self._internal(future=future)
        for summary in data.PERSONAL_EVENTS:
            self._other(summary, ClassificationKind.PERSONAL, Visibility.PUBLIC)
        for summary in data.UNKNOWN_EVENTS[:3]:
            self._other(summary, ClassificationKind.UNKNOWN, Visibility.PUBLIC)
        for n in range(10):
            summary = data.PRIVATE_EVENTS[n % len(data.PRIVATE_EVENTS)]
            self._other(summary, ClassificationKind.PRIVATE, Visibility.PRIVATE)

    # --- time -----------------------------------------------------------------------------

    def _place(self, people: Sequence[Official], *, future: bool) -> TimeSpan:
        """A slot on a working day, on the quarter hour, when none of `people` is busy."""
        days = self.future_days if future else self.past_days
        weights = None if future else self.past_weights
        for _ in range(200):
            day = self.rng.choices(days, weights=weights)[0]
            start_minute = self.rng.randrange(34, 73) * 15  # 08:30 to 18:00
            duration = self.rng.choice((30, 45, 60, 60, 60, 90, 90, 120))
            if start_minute + duration > 19 * 60 + 30:
                continue
            start = datetime.combine(
                day, time(start_minute // 60, start_minute % 60), tzinfo=self.zone
            )
            end = start + timedelta(minutes=duration)
            if any(s < end and start < e for p in people for s, e in self._busy[p.id]):
                continue
            for person in people:
                self._busy[person.id].append((start, end))
            return TimeSpan(starts_at=start, ends_at=end, timezone=self.authority.timezone)
        raise RuntimeError("no free slot left for a demo meeting")

    def _moment(self, after: datetime, min_days: int, max_days: int) -> datetime:
        """When staff acted: office hours, some days after `after`, and never after `now`."""
        day = after.astimezone(self.zone).date() + timedelta(
            days=self.rng.randint(min_days, max_days)
        )
        earliest = after + timedelta(minutes=15)
        moment = earliest
        for _ in range(15):
            if data.is_working_day(day):
                opening = max(datetime.combine(day, time(8, 30), tzinfo=self.zone), earliest)
                closing = datetime.combine(day, time(18, 30), tzinfo=self.zone)
                if opening < closing:
                    span = int((closing - opening).total_seconds())
                    moment = opening + timedelta(seconds=self.rng.randrange(span))
                    break
            day += timedelta(days=1)
        if moment >= self.now - timedelta(minutes=1):
            moment = after + (self.now - after) * self.rng.uniform(0.3, 0.9)
        return moment.astimezone(UTC)

    # --- interest meetings ----------------------------------------------------------------

    def _draft(self, *, future: bool) -> _Draft:
        rng = self.rng
        org = rng.choices(self.organisations, weights=[o.spec.weight for o in self.organisations])[
            0
        ]
        topic = rng.choice(org.spec.topics)
        owner = self._owner(topic.area)
        companions = self._companions(owner, topic.area)
        partners = [
            o
            for o in self.organisations
            if o is not org and any(t.area == topic.area for t in o.spec.topics)
        ]
        second = rng.choice(partners) if partners and rng.random() < 0.1 else None
        return _Draft(
            org=org,
            second=second,
            topic=topic,
            stage=rng.choice(data.STAGES),
            owner=owner,
            companions=companions,
            when=self._place((owner, *companions), future=future),
            format=rng.choices(list(MeetingFormat), weights=(75, 18, 7))[0],
            initiative=rng.choices(
                (Initiative.REPRESENTATIVE, Initiative.OFFICIAL, Initiative.JOINT),
                weights=(55, 25, 20),
            )[0],
        )

    def _owner(self, area: str) -> Official:
        draw = self.rng.random()
        adviser = self.roster.adviser_for(area)
        if draw < 0.12:
            return self.roster.mayor
        if draw < 0.27 and adviser is not None:
            return adviser
        return self.roster.deputy_for(area) or self.roster.mayor

    def _companions(self, owner: Official, area: str) -> tuple[Official, ...]:
        """One or two others present: the area's adviser or deputy, the cabinet, the mayor."""
        roster = self.roster
        weighted: dict[UUID, tuple[Official, float]] = {}
        candidates: list[tuple[Official | None, float]] = [
            (roster.adviser_for(area), 5.0),
            (roster.deputy_for(area), 4.0),
            *((member, 2.0) for member in roster.cabinet),
            (roster.mayor, 0.5),
        ]
        for candidate, weight in candidates:
            if candidate is not None and candidate.id != owner.id:
                weighted.setdefault(candidate.id, (candidate, weight))
        pool = list(weighted.values())
        count = 1 if self.rng.random() < 0.6 else 2
        return tuple(_weighted_sample(self.rng, [o for o, _ in pool], [w for _, w in pool], count))

    def _targets(self, drafts: Sequence[_Draft]) -> list[Target]:
        """How far each past meeting went: the recent backlog and a few late ones stay
        unpublished; corrections and withdrawals fall on older publications."""
        rng = self.rng
        ages = [self.now - d.ends_at for d in drafts]
        indices = range(len(drafts))
        fresh = [n for n in indices if ages[n] < timedelta(days=8)]
        rest = [n for n in indices if ages[n] >= timedelta(days=8)]
        unpublished = fresh + _weighted_sample(
            rng,
            rest,
            [6.0 if ages[n] < RECENT else 1.0 for n in rest],
            INTEREST_READY + INTEREST_DRAFT - len(fresh),
        )
        ready_pool = [n for n in unpublished if ages[n] >= timedelta(days=1)]
        ready = _weighted_sample(
            rng,
            ready_pool,
            [3.0 if ages[n] < RECENT else 1.0 for n in ready_pool],
            INTEREST_READY,
        )
        targets = [Target.PUBLISHED] * len(drafts)
        for n in unpublished:
            targets[n] = Target.DRAFT
        for n in ready:
            targets[n] = Target.READY
        old = [n for n in indices if targets[n] is Target.PUBLISHED and ages[n].days >= 45]
        amended = _weighted_sample(
            rng, old, [1.0] * len(old), INTEREST_CORRECTED + INTEREST_WITHDRAWN
        )
        for position, n in enumerate(amended):
            corrected = position < INTEREST_CORRECTED
            targets[n] = Target.CORRECTED if corrected else Target.WITHDRAWN
        return targets

    def _interest(
        self, draft: _Draft, target: Target, *, status: MeetingStatus | None = None
    ) -> None:
        rng = self.rng
        rules = rng.choice(
            (
                ("email_domain",),
                ("title_names_organisation",),
                ("email_domain", "title_names_organisation"),
                ("email_domain", "category"),
                ("title_names_organisation", "category"),
            )
        )
        complete = self._record(draft)
        record = complete
        correction: tuple[CollegialityRecord, str] | None = None
        if target is Target.DRAFT:
            record = self._incomplete(draft, complete)
        elif target is Target.CORRECTED:
            record, reason = self._published_with_error(draft, complete)
            correction = (complete, reason)
        meeting = Meeting(
            id=new_id(),
            authority_id=self.authority.id,
            official_id=draft.owner.id,
            source=None,
            when=draft.when,
            status=status or MeetingStatus.CONFIRMED,
            calendar=self._calendar(
                draft, complete, rules, cancelled=status is MeetingStatus.CANCELLED
            ),
            classification=self._classification(draft, rules, reviewed=target is not Target.DRAFT),
            record=record,
        )
        self.meetings.append(meeting)
        if target is Target.DRAFT:
            return
        ready_at = self._moment(draft.ends_at, 0, 2)
        self._step(ready_at, meeting.id, PublicationAction.MARK_READY)
        if target is Target.READY:
            return
        published_at = self._moment(ready_at, 0, 3)
        self._step(published_at, meeting.id, PublicationAction.PUBLISH)
        if correction is not None:
            fixed, reason = correction
            self._step(
                self._moment(published_at, 3, 30),
                meeting.id,
                PublicationAction.CORRECT,
                reason=reason,
                record=fixed,
            )
        if target is Target.WITHDRAWN:
            reason, ground = data.WITHDRAWALS[self._withdrawn % len(data.WITHDRAWALS)]
            self._withdrawn += 1
            self._step(
                self._moment(published_at, 3, 30),
                meeting.id,
                PublicationAction.WITHDRAW,
                reason=reason,
                legal_ground=ground,
            )

    def _step(
        self, moment: datetime, meeting_id: UUID, action: PublicationAction, **extra: Any
    ) -> None:
        self.steps.append(Step(moment, len(self.steps), meeting_id, action, **extra))

    def _record(self, draft: _Draft) -> CollegialityRecord:
        """The complete collegiality record of what happened."""
        rng = self.rng
        presences = tuple(
            RepresentativePresence(
                representative_id=org.rep.id,
                people=tuple(rng.sample(org.people, k=rng.choice((1, 1, 2)))),
            )
            for org in (draft.org, draft.second)
            if org is not None
        )
        others: tuple[OtherAttendee, ...] = ()
        if rng.random() < 0.3:
            role, name = rng.choice(data.OTHER_ATTENDEES[draft.topic.area])
            others = (OtherAttendee(role=role, name=name),)
        return CollegialityRecord(
            officials_present=(draft.owner.id, *(o.id for o in draft.companions)),
            other_attendees=others,
            representatives=presences,
            subject=draft.subject,
            policy_area=draft.topic.area,
            format=draft.format,
            initiative=draft.initiative,
        )

    def _incomplete(self, draft: _Draft, record: CollegialityRecord) -> CollegialityRecord:
        """A draft as staff left it: untouched since the classifier found it, partly filled
        in, or complete but not yet marked ready."""
        rng = self.rng
        untouched = {
            "officials_present": (draft.owner.id,),
            "other_attendees": (),
            "representatives": tuple(
                RepresentativePresence(representative_id=p.representative_id)
                for p in record.representatives
            ),
            "subject": "",
            "policy_area": None,
            "format": None,
            "initiative": None,
        }
        recent = self.now - draft.ends_at < timedelta(days=3)
        if (recent or draft.when.starts_at > self.now) and rng.random() < 0.6:
            return record.model_copy(update=untouched)
        if rng.random() < 0.3:
            return record
        flaws = rng.sample(("subject", "area", "alone", "names", "format"), k=rng.choice((1, 1, 2)))
        updates: dict[str, Any] = {}
        if "subject" in flaws:
            updates["subject"] = ""
        if "area" in flaws:
            updates["policy_area"] = None
        if "alone" in flaws:
            updates |= {"officials_present": (draft.owner.id,), "other_attendees": ()}
        if "names" in flaws:
            updates["representatives"] = untouched["representatives"]
        if "format" in flaws:
            updates |= {"format": None, "initiative": None}
        return record.model_copy(update=updates)

    def _published_with_error(
        self, draft: _Draft, record: CollegialityRecord
    ) -> tuple[CollegialityRecord, str]:
        """The first, mistaken, public version of a meeting, and the reason of its correction."""
        rng = self.rng
        kinds = ["subject", "subject", "area", "format"]
        if len(record.officials_present) >= 3:
            kinds.append("participant")
        kind = rng.choice(kinds)
        if kind == "subject":
            wrong = rng.choice([t for t in draft.org.spec.topics if t != draft.topic])
            return record.model_copy(update={"subject": f"{wrong.title} : {draft.stage}"}), (
                f"Correction de l'objet : la rencontre portait sur « {draft.topic.title} » "
                f"et non sur « {wrong.title} »."
            )
        if kind == "area":
            policy = self.authority.policy
            wrong_area = data.NEARBY_AREA[draft.topic.area]
            right, mistaken = policy.policy_area(draft.topic.area), policy.policy_area(wrong_area)
            if right is None or mistaken is None:
                raise ValueError(f"demo area not in the policy: {draft.topic.area}, {wrong_area}")
            return record.model_copy(update={"policy_area": wrong_area}), (
                f"Correction du domaine d'action publique : « {right.label.fr} » et non "
                f"« {mistaken.label.fr} »."
            )
        if kind == "participant":
            missing = draft.companions[-1]
            present = tuple(i for i in record.officials_present if i != missing.id)
            ending = "e" if self.roster.feminine[missing.id] else ""
            return record.model_copy(update={"officials_present": present}), (
                f"Ajout d'un participant : {missing.full_name}, {missing.role.lower()}, était "
                f"également présent{ending}."
            )
        how = data.FORMAT_WORDS
        wrong_format = (
            MeetingFormat.VIDEO
            if draft.format is MeetingFormat.IN_PERSON
            else MeetingFormat.IN_PERSON
        )
        return record.model_copy(update={"format": wrong_format}), (
            f"Correction du format : la rencontre s'est tenue {how[draft.format]}, et non "
            f"{how[wrong_format]}."
        )

    def _classification(
        self, draft: _Draft, rules: tuple[str, ...], *, reviewed: bool
    ) -> Classification:
        org = draft.org
        fields = {
            "email_domain": ("attendees", org.spec.domain),
            "title_names_organisation": ("summary", org.spec.short),
            "category": ("categories", "RI"),
        }
        reasons = tuple(
            Reason(
                rule=rule,
                field=fields[rule][0],
                matched=fields[rule][1],
                representative_id=None if rule == "category" else org.rep.id,
                explanation=data.rule_explanation(rule, org.spec.name),
            )
            for rule in rules
        )
        confidence = self.rng.uniform(0.75, 0.93) + 0.05 * (len(rules) - 1)
        return Classification(
            kind=ClassificationKind.INTEREST_REPRESENTATIVE,
            confidence=round(min(confidence, 0.98), 2),
            reasons=reasons,
            representative_ids=tuple(o.rep.id for o in (draft.org, draft.second) if o is not None),
            decided_by=Decider.STAFF if reviewed and self.rng.random() < 0.4 else Decider.RULE,
        )

    def _calendar(
        self,
        draft: _Draft,
        record: CollegialityRecord,
        rules: tuple[str, ...],
        *,
        cancelled: bool = False,
    ) -> CalendarData:
        """What the official's diary says: staff-only text, e-mail addresses and all."""
        rng = self.rng
        org, topic = draft.org.spec, draft.topic
        if "title_names_organisation" in rules:
            summary = rng.choice(
                (
                    f"RDV {org.short} - {topic.short}",
                    f"Rencontre {org.short} ({topic.short})",
                    f"{org.short} : {topic.short}",
                )
            )
        else:
            summary = rng.choice(
                (
                    f"RDV {topic.short}",
                    f"Réunion {topic.short}",
                    f"{_capitalised(topic.short)} - RDV",
                )
            )
        location = {
            MeetingFormat.IN_PERSON: rng.choice(
                (
                    "Hôtel de ville, bureau du maire"
                    if draft.owner == self.roster.mayor
                    else "Hôtel de ville, bureau des adjoints",
                    "Hôtel de ville, salle du conseil",
                    f"Visite sur site - {topic.short}",
                )
            ),
            MeetingFormat.VIDEO: rng.choice(("Visioconférence", "Visio (lien dans l'invitation)")),
            MeetingFormat.PHONE: "Téléphone",
        }[draft.format]
        contact = draft.org.people[0]
        opening = (
            f"Demande de rendez-vous de {contact} ({org.name})."
            if draft.initiative is Initiative.REPRESENTATIVE
            else f"Invitation du cabinet. Organisation reçue : {org.name}."
        )
        closing = rng.choice(("Note de présentation jointe.", "Prévoir le dossier papier.", ""))
        with_emails = "email_domain" in rules
        attendees = [
            Attendee(email=o.email, name=o.full_name, role="REQ-PARTICIPANT", status="ACCEPTED")
            for o in draft.companions
        ]
        for presence in record.representatives:
            domain = next(
                o.spec.domain
                for o in (draft.org, draft.second)
                if o is not None and o.rep.id == presence.representative_id
            )
            attendees.extend(
                Attendee(
                    email=data.email_address(person, domain) if with_emails else None,
                    name=person,
                    role="REQ-PARTICIPANT",
                    status=rng.choice(("ACCEPTED", "ACCEPTED", "NEEDS-ACTION")),
                )
                for person in presence.people
            )
        for other in record.other_attendees:
            if other.name:
                email = data.email_address(other.name, data.AUTHORITY_DOMAIN)
                attendees.append(Attendee(email=email, name=other.name, role="OPT-PARTICIPANT"))
        return CalendarData(
            summary=f"Annulé : {summary}" if cancelled else summary,
            location=location,
            description="\n".join(
                line for line in (opening, f"Objet : {topic.title}.", closing) if line
            ),
            organizer=Attendee(email=draft.owner.email, name=draft.owner.full_name, role="CHAIR"),
            attendees=tuple(attendees),
            categories=("RI",) if "category" in rules else rng.choice(((), ("Rendez-vous",))),
            sequence=rng.randint(0, 3),
            last_modified=self._last_modified(draft.when),
        )

    def _last_modified(self, when: TimeSpan) -> datetime:
        """A while before the meeting, and in any case before `now`."""
        before = when.starts_at - timedelta(hours=self.rng.randint(20, 500))
        return min(before, self.now - timedelta(hours=self.rng.randint(1, 48)))

    # --- everything else in the diaries ---------------------------------------------------

    def _institutional(self, *, future: bool) -> None:
        template = self.rng.choice(data.INSTITUTIONAL_EVENTS)
        body = template.summary.split(" - ")[0]
        reason = Reason(
            rule="public_body",
            field="summary",
            matched=body,
            explanation=Message(
                fr=f"L'événement réunit la ville et {template.body}, un organisme public.",
                en=f"The event is a meeting with a public body ({body}).",
            ),
        )
        self._diary_entry(template, ClassificationKind.INSTITUTIONAL, reason, future=future)

    def _internal(self, *, future: bool) -> None:
        template = self.rng.choice(data.INTERNAL_EVENTS)
        reason = Reason(
            rule="internal_attendees",
            field="attendees",
            matched=data.AUTHORITY_DOMAIN,
            explanation=data.INTERNAL_EXPLANATION,
        )
        self._diary_entry(template, ClassificationKind.INTERNAL, reason, future=future)

    def _diary_entry(
        self,
        template: data.EventTemplate,
        kind: ClassificationKind,
        reason: Reason,
        *,
        future: bool,
    ) -> None:
        owner = self.roster.holder(template.owner)
        area = template.owner if template.owner in data.NEARBY_AREA else "finances"
        invited = self._companions(owner, area)
        when = self._place((owner, *invited), future=future)
        calendar = CalendarData(
            summary=template.summary,
            location=template.location,
            organizer=Attendee(email=owner.email, name=owner.full_name, role="CHAIR"),
            attendees=tuple(
                Attendee(email=o.email, name=o.full_name, role="REQ-PARTICIPANT") for o in invited
            ),
            sequence=self.rng.randint(0, 2),
            last_modified=self._last_modified(when),
        )
        classification = Classification(
            kind=kind, confidence=round(self.rng.uniform(0.7, 0.95), 2), reasons=(reason,)
        )
        self._add_plain(owner, when, calendar, classification)

    def _other(self, summary: str, kind: ClassificationKind, visibility: Visibility) -> None:
        """Personal, private and unclassifiable entries: never published, kept for staff."""
        owner = self.rng.choice(self.roster.officials)
        when = self._place((owner,), future=False)
        reasons: tuple[Reason, ...] = ()
        confidence = 0.0
        if kind is ClassificationKind.PRIVATE:
            confidence = 0.99
            reasons = (
                Reason(
                    rule="private_flag",
                    field="visibility",
                    matched="PRIVATE",
                    explanation=data.PRIVATE_EXPLANATION,
                ),
            )
        elif kind is ClassificationKind.PERSONAL:
            confidence = 0.6
            reasons = (Reason(rule="personal_keyword", explanation=data.PERSONAL_EXPLANATION),)
        calendar = CalendarData(
            summary=summary,
            visibility=visibility,
            organizer=Attendee(email=owner.email, name=owner.full_name),
            last_modified=self._last_modified(when),
        )
        classification = Classification(kind=kind, confidence=confidence, reasons=reasons)
        self._add_plain(owner, when, calendar, classification)

    def _add_plain(
        self,
        owner: Official,
        when: TimeSpan,
        calendar: CalendarData,
        classification: Classification,
    ) -> None:
        self.meetings.append(
            Meeting(
                id=new_id(),
                authority_id=self.authority.id,
                official_id=owner.id,
                when=when,
                calendar=calendar,
                classification=classification,
            )
        )

"""How far staff took each meeting: most published within days, some corrected, a few
withdrawn, some exempted, the recent ones and a few forgotten ones still drafts; and, now and
then, another entry of the diaries (`bench.synthetic.diary`).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bench.synthetic.diary import diary_entry
from bench.synthetic.encounters import Encounter, calendar_and_classification, encounter
from bench.synthetic.officials import AuthorityStaff
from bench.synthetic.organisations import Directory
from bench.synthetic.sampling import Weighted, some, time_ordered_id
from bench.synthetic.timeline import office_moment, publication_delay
from register.domain.collegiality import CollegialityRecord, RepresentativePresence
from register.domain.kinds import (
    LegalGround,
    LogAction,
    MeetingFormat,
    MeetingStatus,
    PublicationState,
)
from register.domain.meeting import Meeting, TimeSpan
from register.services.demo import data

EXEMPTIONS = Weighted(list(LegalGround), [20, 15, 35, 10, 20])
"""Security, privacy, procurement, judicial, out of scope."""


@dataclass(frozen=True)
class Version:
    """One entry of the publication log, to be chained when its time comes."""

    recorded_at: datetime
    action: LogAction
    state: PublicationState
    meeting: Meeting | None
    """The meeting as published; None for a withdrawal (which republishes the last payload)."""
    reason: str | None = None
    legal_ground: LegalGround | None = None


@dataclass
class Plan:
    """A meeting's working row as it stands today, and its public versions in order."""

    meeting: Meeting
    created_at: datetime
    updated_at: datetime
    classified_at: datetime
    versions: list[Version]


EMPTY_RECORD = CollegialityRecord()
"""What the sync leaves for staff to fill in."""


class Planner:
    """Draws each meeting of the register, and its story up to `now`."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        staffs: list[AuthorityStaff],
        directory: Directory,
        *,
        other_share: float = 0.05,
    ) -> None:
        self.rng = rng
        self.now = now
        self.staffs = staffs
        self.directory = directory
        self.other_share = other_share

    def plan(self, day: date, authority_index: int) -> Plan:
        rng = self.rng
        if rng.random() < self.other_share:
            staff = self.staffs[authority_index]
            row, created_at = diary_entry(rng, day, staff, lambda when: self._created(when, staff))
            return Plan(row, created_at, created_at, created_at + timedelta(seconds=2), [])
        organisation = self.directory.draw(rng, authority_index)
        second = self.directory.draw(rng, authority_index) if rng.random() < 0.1 else None
        if second is organisation:
            second = None
        return self._interest(
            encounter(rng, self.staffs[authority_index], organisation, second, day)
        )

    # --- meetings with interest representatives -------------------------------------------

    def _created(self, when: TimeSpan, staff: AuthorityStaff) -> datetime:
        """When the sync first saw the event: days before it, after the authority joined."""
        rng = self.rng
        ahead = timedelta(hours=rng.randint(2, 30 * 24), seconds=rng.randrange(3600))
        seen = when.starts_at - ahead
        return min(max(seen, staff.joined_at), self.now - timedelta(seconds=rng.randrange(1, 7200)))

    def _interest(self, meeting: Encounter) -> Plan:
        rng, now = self.rng, self.now
        end = meeting.when.ends_at or meeting.when.starts_at
        created_at = self._created(meeting.when, meeting.staff)
        draw = rng.random()
        status, state, exempted = MeetingStatus.CONFIRMED, PublicationState.DRAFT, None
        record = meeting.record
        if meeting.when.starts_at > now:
            status = MeetingStatus.TENTATIVE if draw < 0.15 else MeetingStatus.CONFIRMED
            record = self._incomplete(meeting)
        elif draw < 0.015:
            status, record = MeetingStatus.CANCELLED, self._incomplete(meeting)
        elif draw < 0.027:
            exempted = EXEMPTIONS.draw(rng)
        elif draw < 0.033:  # forgotten: late, and incomplete
            record = self._incomplete(meeting, recent=False)
        else:
            published_at = office_moment(rng, end, publication_delay(rng), meeting.staff.zone)
            if published_at <= now:
                return self._published(meeting, created_at, published_at)
            if now - end > timedelta(days=1) and rng.random() < 0.35:
                state = PublicationState.READY  # complete, waiting for a second pair of eyes
            else:
                record = self._incomplete(meeting)
        return self._unpublished(
            meeting, created_at, record, status, state=state, exempted=exempted
        )

    def _incomplete(self, meeting: Encounter, *, recent: bool = True) -> CollegialityRecord:
        """A record as staff left it: untouched since the sync found it, or partly filled in."""
        rng = self.rng
        if recent and rng.random() < 0.5:
            return EMPTY_RECORD
        record = meeting.record
        flaws = some(rng, ("subject", "area", "alone", "names", "format"), rng.choice((1, 2)))
        updates: dict[str, Any] = {}
        if "subject" in flaws:
            updates["subject"] = ""
        if "area" in flaws:
            updates["policy_area"] = None
        if "alone" in flaws:
            updates |= {"officials_present": record.officials_present[:1], "other_attendees": ()}
        if "names" in flaws:
            updates["representatives"] = tuple(
                RepresentativePresence(representative_id=p.representative_id)
                for p in record.representatives
            )
        if "format" in flaws:
            updates |= {"format": None, "initiative": None}
        return record.model_copy(update=updates)

    def _meeting(
        self,
        meeting: Encounter,
        created_at: datetime,
        record: CollegialityRecord,
        *,
        status: MeetingStatus = MeetingStatus.CONFIRMED,
        reviewed: bool,
        **publication: Any,
    ) -> Meeting:
        calendar, classification = calendar_and_classification(
            self.rng,
            meeting,
            reviewed=reviewed,
            seen_at=created_at,
            cancelled=status is MeetingStatus.CANCELLED,
        )
        return Meeting(
            id=time_ordered_id(self.rng, created_at),
            authority_id=meeting.staff.authority.id,
            official_id=meeting.owner_id,
            source=None,
            when=meeting.when,
            status=status,
            calendar=calendar,
            classification=classification,
            record=record,
            **publication,
        )

    def _unpublished(
        self,
        meeting: Encounter,
        created_at: datetime,
        record: CollegialityRecord,
        status: MeetingStatus = MeetingStatus.CONFIRMED,
        *,
        state: PublicationState = PublicationState.DRAFT,
        exempted: LegalGround | None = None,
    ) -> Plan:
        edited = record is not EMPTY_RECORD
        lock_version = (2 if state is PublicationState.READY else 1) if edited else 0
        if exempted is not None:
            lock_version += 1
        row = self._meeting(
            meeting,
            created_at,
            record,
            status=status,
            reviewed=edited,
            publication_state=state,
            exemption_ground=exempted,
            lock_version=lock_version,
        )
        updated_at = created_at
        if edited:
            updated_at = min(self.now, max(created_at, meeting.when.starts_at)) + timedelta(
                minutes=self.rng.randint(15, 600)
            )
            updated_at = min(updated_at, self.now)
        return Plan(row, created_at, updated_at, created_at + timedelta(seconds=2), [])

    def _published(self, meeting: Encounter, created_at: datetime, published_at: datetime) -> Plan:
        rng, now, zone = self.rng, self.now, meeting.staff.zone
        first_record, reason = meeting.record, None
        if rng.random() < 0.03:
            first_record, reason = self._mistaken(meeting)
        final = self._meeting(meeting, created_at, meeting.record, reviewed=True)
        versions = [
            Version(
                published_at,
                LogAction.PUBLISH,
                PublicationState.PUBLISHED,
                final if reason is None else final.model_copy(update={"record": first_record}),
            )
        ]
        if reason is not None:
            corrected_at = office_moment(rng, published_at, rng.randint(3, 30), zone)
            if corrected_at <= now:
                versions.append(
                    Version(
                        corrected_at, LogAction.CORRECT, PublicationState.CORRECTED, final, reason
                    )
                )
        if rng.random() < 0.004:  # minutes of the meeting added afterwards
            fixed = versions[-1].meeting or final
            document = f"https://{meeting.staff.spec.domain}/transparence/{final.id}.pdf"
            with_minutes = fixed.model_copy(
                update={"record": fixed.record.model_copy(update={"documents": (document,)})}
            )
            at = office_moment(rng, versions[-1].recorded_at, rng.randint(5, 40), zone)
            if at <= now:
                versions.append(
                    Version(
                        at,
                        LogAction.CORRECT,
                        PublicationState.CORRECTED,
                        with_minutes,
                        "Ajout du compte rendu de la rencontre.",
                    )
                )
        if rng.random() < 0.005:
            text, ground = rng.choice(data.WITHDRAWALS)
            at = office_moment(rng, versions[-1].recorded_at, rng.randint(3, 60), zone)
            if at <= now:
                versions.append(
                    Version(at, LogAction.WITHDRAW, PublicationState.WITHDRAWN, None, text, ground)
                )
        shown = next(v.meeting for v in reversed(versions) if v.meeting is not None)
        row = shown.model_copy(
            update={
                "publication_state": versions[-1].state,
                "published_version": len(versions),
                "first_published_at": published_at,
                "lock_version": 2 + len(versions),
            }
        )
        return Plan(
            row, created_at, versions[-1].recorded_at, created_at + timedelta(seconds=2), versions
        )

    def _mistaken(self, meeting: Encounter) -> tuple[CollegialityRecord, str]:
        """A first public version with a mistake in it, and the public reason of its fix."""
        rng, record = self.rng, meeting.record
        policy = meeting.staff.authority.policy
        kinds = ["subject", "subject", "area", "format"]
        if record.present_count() > policy.min_present and len(record.officials_present) > 1:
            kinds.append("participant")
        kind = rng.choice(kinds)
        if kind == "subject":
            wrong = f"{rng.choice(data.STAGES)}"
            while wrong == meeting.stage:
                wrong = rng.choice(data.STAGES)
            return record.model_copy(update={"subject": f"{meeting.dossier} : {wrong}"}), (
                f"Correction de l'objet : « {meeting.stage} » et non « {wrong} »."
            )
        if kind == "area":
            right, mistaken = policy.policy_area(meeting.area), data.NEARBY_AREA[meeting.area]
            label = policy.policy_area(mistaken)
            if right is None or label is None:
                raise ValueError(f"unknown policy area {meeting.area} or {mistaken}")
            return record.model_copy(update={"policy_area": mistaken}), (
                f"Correction du domaine d'action publique : « {right.label.fr} » et non "
                f"« {label.label.fr} »."
            )
        if kind == "participant":
            missing = meeting.companions[-1].official
            if missing is None:
                raise ValueError("a companion without an official record")
            present = tuple(i for i in record.officials_present if i != missing.id)
            return record.model_copy(update={"officials_present": present}), (
                f"Ajout d'un participant : {missing.full_name}, {missing.role.lower()}, était "
                "également présent(e)."
            )
        how = data.FORMAT_WORDS
        right_format = record.format or MeetingFormat.IN_PERSON
        in_person = MeetingFormat.IN_PERSON
        wrong_format = MeetingFormat.VIDEO if right_format is in_person else in_person
        return record.model_copy(update={"format": wrong_format}), (
            f"Correction du format : la rencontre s'est tenue {how[right_format]}, et non "
            f"{how[wrong_format]}."
        )

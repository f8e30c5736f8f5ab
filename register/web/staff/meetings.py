"""The meeting screen: calendar data, classification, the collegiality record and the actions.

Every form carries the meeting's lock version: a form built from an older version is refused
with a conflict and shown again with what was typed, never silently written over someone
else's change. After a successful action the browser is redirected (post/redirect/get), so a
reload never repeats it.
"""

import json
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_409_CONFLICT

from register.domain.access import Permission, may
from register.domain.collegiality import Violation
from register.domain.kinds import (
    LEGAL_GROUND_LABELS,
    ClassificationKind,
    LegalGround,
    PublicationState,
)
from register.domain.meeting import Meeting
from register.domain.readiness import publication_violations
from register.domain.staff import StaffUser
from register.domain.text import Message
from register.services.organisations import search_organisations
from register.services.publication import ActionRefusedError, Actor, correct, publish, withdraw
from register.services.record_form import RecordForm
from register.services.records import (
    RefusedError,
    decide_classification,
    save_record,
    set_exemption,
)
from register.store.repositories.audit import events_for
from register.store.repositories.authorities import get_authority
from register.store.repositories.errors import ConflictError, NotFoundError
from register.store.repositories.meetings import get_meeting
from register.store.repositories.officials import list_officials
from register.store.repositories.publication_log import entries_for_meeting
from register.store.repositories.representatives import representatives_by_id
from register.web.staff.auth import current_staff, ensure
from register.web.staff.forms import lock_version, record_form
from register.web.staff.queue import STATE_LABELS

CONFLICT = Message(
    fr="Quelqu'un a modifié cette rencontre pendant que vous la consultiez. Votre saisie est "
    "conservée ci-dessous : vérifiez la version actuelle puis enregistrez à nouveau.",
    en="Someone changed this meeting while you were editing it. What you typed is kept below: "
    "check the current version, then save again.",
)

DONE: dict[str, str] = {
    "saved": "Le relevé est enregistré.",
    "published": "La rencontre est publiée.",
    "corrected": "La correction est publiée.",
    "withdrawn": "La publication est retirée ; le retrait reste public.",
    "classified": "La classification est enregistrée ; elle ne sera plus modifiée par les "
    "synchronisations.",
    "exempted": "La rencontre reste non publiée, avec son motif légal.",
    "unexempted": "L'exemption est levée.",
}

KIND_LABELS: dict[str, str] = {
    "interest_representative": "Avec des représentants d'intérêts",
    "institutional": "Institutionnelle",
    "internal": "Interne",
    "private": "Privée",
    "personal": "Personnelle",
    "unknown": "À déterminer",
}

GROUND_LABELS: dict[str, str] = {
    ground.value: label for ground, label in LEGAL_GROUND_LABELS.items()
}

FORMAT_LABELS = {"in_person": "En présentiel", "video": "Visioconférence", "phone": "Téléphone"}
INITIATIVE_LABELS = {
    "official": "Le responsable public",
    "representative": "Le représentant d'intérêts",
    "joint": "Les deux",
    "unknown": "Inconnu",
}


def _actor(staff: NamedDependency[StaffUser]) -> Actor:
    return Actor(label=staff.username, user_id=staff.id)


async def _load(
    meeting_id: FromPath[UUID], staff: NamedDependency[StaffUser], permission: Permission
) -> Meeting:
    meeting = await get_meeting(meeting_id)
    if meeting is None:
        raise NotFoundException(detail="There is no such meeting.")
    ensure(
        staff,
        permission,
        authority_id=meeting.authority_id,
        official_id=meeting.official_id,
    )
    return meeting


async def _page(
    meeting: Meeting,
    staff: NamedDependency[StaffUser],
    *,
    form: RecordForm | None = None,
    errors: tuple[Violation, ...] = (),
    violations: tuple[Violation, ...] | None = None,
    refusals: tuple[Message, ...] = (),
    notice: str | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    authority = await get_authority(meeting.authority_id)
    if authority is None:
        raise NotFoundException(detail="The meeting's authority no longer exists.")
    officials = await list_officials(meeting.authority_id)
    owner = next((o for o in officials if o.id == meeting.official_id), None)
    form = form or RecordForm.from_meeting(meeting)
    named_ids: list[UUID] = [*meeting.classification.representative_ids]
    for row in form.representatives:
        try:
            named_ids.append(UUID(row.representative_id))
        except ValueError:
            continue
    organisations = await representatives_by_id(named_ids)
    if violations is None:
        violations = publication_violations(meeting, authority.policy)

    def allowed(permission: Permission) -> bool:
        return may(
            staff, permission, authority_id=meeting.authority_id, official_id=meeting.official_id
        )

    return Template(
        template_name="staff/meeting.html",
        context={
            "staff": staff,
            "meeting": meeting,
            "authority": authority,
            "owner": owner,
            "officials": officials,
            "form": form,
            "organisations": organisations,
            "violations": violations,
            "input_errors": errors,
            "refusals": refusals,
            "notice": notice,
            "typed": typed or {},
            "history": [
                (entry, json.loads(entry.body)["payload"].get("publication", {}).get("reason"))
                for entry in await entries_for_meeting(meeting.id)
            ],
            "audit": await events_for("meeting", str(meeting.id)),
            "can_edit": allowed(Permission.EDIT_MEETINGS),
            "can_publish": allowed(Permission.PUBLISH),
            "editable": meeting.publication_state
            in {PublicationState.DRAFT, PublicationState.READY},
            "published": meeting.publication_state
            in {PublicationState.PUBLISHED, PublicationState.CORRECTED},
            "kinds": KIND_LABELS,
            "grounds": GROUND_LABELS,
            "formats": FORMAT_LABELS,
            "initiatives": INITIATIVE_LABELS,
            "states": STATE_LABELS,
            "areas": authority.policy.policy_areas,
            "blank_rows": 2,
        },
        status_code=status_code,
    )


def _done(meeting_id: UUID, what: str) -> Redirect:
    return Redirect(f"/staff/meetings/{meeting_id}?done={what}", status_code=303)


async def _save_then_publish(
    meeting: Meeting,
    staff: NamedDependency[StaffUser],
    form: RecordForm,
    *,
    version: int,
    publish_too: bool,
    now: datetime,
) -> Template | Redirect:
    """Save what was typed; publish too when asked and the record is complete. A record that
    is saved but not publishable stays saved, and every missing point is shown."""
    outcome = await save_record(
        meeting.id, form, lock_version=version, actor=_actor(staff), now=now
    )
    if not outcome.saved:
        return await _page(
            meeting,
            staff,
            form=form,
            errors=tuple(outcome.input_errors),
            status_code=HTTP_400_BAD_REQUEST,
        )
    if not publish_too:
        return _done(meeting.id, "saved")
    if outcome.violations:
        return await _page(
            outcome.meeting,
            staff,
            form=form,
            violations=tuple(outcome.violations),
            refusals=(
                Message(
                    fr="Le relevé est enregistré mais ne peut pas encore être publié.",
                    en="The record is saved but cannot be published yet.",
                ),
            ),
            status_code=HTTP_400_BAD_REQUEST,
        )
    await publish(
        meeting.id, lock_version=outcome.meeting.lock_version, actor=_actor(staff), now=now
    )
    return _done(meeting.id, "published")


class MeetingController(Controller):
    path = "/"
    include_in_schema = False
    dependencies = {"staff": Provide(current_staff)}  # noqa: RUF012 - Litestar's declaration

    @get("/meetings/{meeting_id:uuid}", name="staff_meeting", cache=False)
    async def show(
        self,
        meeting_id: FromPath[UUID],
        staff: NamedDependency[StaffUser],
        done: FromQuery[str | None] = None,
    ) -> Template:
        meeting = await _load(meeting_id, staff, Permission.VIEW_MEETINGS)
        return await _page(meeting, staff, notice=DONE.get(done or ""))

    @post("/meetings/{meeting_id:uuid}/record", name="staff_meeting_record", cache=False)
    async def save(
        self,
        meeting_id: FromPath[UUID],
        staff: NamedDependency[StaffUser],
        request: Request[Any, Any, Any],
    ) -> Template | Redirect:
        """Save the record; with `intent=publish` publish it too, with `intent=correct`
        publish it as a correction of the public version."""
        posted = await request.form()
        intent = str(posted.get("intent", "save"))
        needed = Permission.EDIT_MEETINGS if intent == "save" else Permission.PUBLISH
        meeting = await _load(meeting_id, staff, needed)
        form = await record_form(posted)
        version = lock_version(posted)
        now = datetime.now(UTC)
        reason = str(posted.get("reason", ""))[:2000]
        typed = {"reason": reason}
        try:
            if intent == "correct":
                await correct(
                    meeting_id,
                    form,
                    lock_version=version,
                    reason=reason,
                    actor=_actor(staff),
                    now=now,
                )
                return _done(meeting_id, "corrected")
            return await _save_then_publish(
                meeting, staff, form, version=version, publish_too=intent == "publish", now=now
            )
        except ConflictError:
            current = await _load(meeting_id, staff, Permission.VIEW_MEETINGS)
            return await _page(
                current,
                staff,
                form=form,
                refusals=(CONFLICT,),
                typed=typed,
                status_code=HTTP_409_CONFLICT,
            )
        except RefusedError as refused:  # ActionRefusedError included
            current = await _load(meeting_id, staff, Permission.VIEW_MEETINGS)
            return await _page(
                current,
                staff,
                form=form,
                errors=_field_errors(refused),
                refusals=refused.refusals,
                typed=typed,
                status_code=HTTP_400_BAD_REQUEST,
            )

    @post("/meetings/{meeting_id:uuid}/publish", name="staff_meeting_publish", cache=False)
    async def publish_as_is(
        self,
        meeting_id: FromPath[UUID],
        staff: NamedDependency[StaffUser],
        request: Request[Any, Any, Any],
    ) -> Template | Redirect:
        posted = await request.form()
        meeting = await _load(meeting_id, staff, Permission.PUBLISH)
        return await self._act(
            meeting,
            staff,
            publish(
                meeting_id,
                lock_version=lock_version(posted),
                actor=_actor(staff),
                now=datetime.now(UTC),
            ),
            "published",
        )

    @post("/meetings/{meeting_id:uuid}/withdraw", name="staff_meeting_withdraw", cache=False)
    async def withdraw_publication(
        self,
        meeting_id: FromPath[UUID],
        staff: NamedDependency[StaffUser],
        request: Request[Any, Any, Any],
    ) -> Template | Redirect:
        posted = await request.form()
        meeting = await _load(meeting_id, staff, Permission.PUBLISH)
        reason = str(posted.get("reason", ""))[:2000]
        ground = _ground(str(posted.get("legal_ground", "")))
        return await self._act(
            meeting,
            staff,
            withdraw(
                meeting_id,
                lock_version=lock_version(posted),
                reason=reason,
                legal_ground=ground,
                actor=_actor(staff),
                now=datetime.now(UTC),
            ),
            "withdrawn",
            typed={"withdraw_reason": reason, "legal_ground": ground.value if ground else ""},
        )

    @post(
        "/meetings/{meeting_id:uuid}/classification",
        name="staff_meeting_classification",
        cache=False,
    )
    async def classify(
        self,
        meeting_id: FromPath[UUID],
        staff: NamedDependency[StaffUser],
        request: Request[Any, Any, Any],
    ) -> Template | Redirect:
        posted = await request.form()
        meeting = await _load(meeting_id, staff, Permission.EDIT_MEETINGS)
        try:
            kind = ClassificationKind(str(posted.get("kind", "")))
        except ValueError as error:
            raise ValidationException(detail="kind: not a known classification") from error
        return await self._act(
            meeting,
            staff,
            decide_classification(
                meeting_id,
                kind,
                lock_version=lock_version(posted),
                actor=_actor(staff),
                now=datetime.now(UTC),
            ),
            "classified",
        )

    @post("/meetings/{meeting_id:uuid}/exemption", name="staff_meeting_exemption", cache=False)
    async def exempt(
        self,
        meeting_id: FromPath[UUID],
        staff: NamedDependency[StaffUser],
        request: Request[Any, Any, Any],
    ) -> Template | Redirect:
        posted = await request.form()
        meeting = await _load(meeting_id, staff, Permission.PUBLISH)
        raw = str(posted.get("legal_ground", ""))
        ground = _ground(raw)
        if raw and ground is None:
            raise ValidationException(detail="legal_ground: not a known legal ground")
        return await self._act(
            meeting,
            staff,
            set_exemption(
                meeting_id,
                ground,
                lock_version=lock_version(posted),
                actor=_actor(staff),
                now=datetime.now(UTC),
            ),
            "exempted" if ground else "unexempted",
        )

    async def _act(
        self,
        meeting: Meeting,
        staff: NamedDependency[StaffUser],
        action: Any,
        done: str,
        *,
        typed: dict[str, str] | None = None,
    ) -> Template | Redirect:
        try:
            await action
        except ConflictError:
            current = await _load(meeting.id, staff, Permission.VIEW_MEETINGS)
            return await _page(
                current, staff, refusals=(CONFLICT,), typed=typed, status_code=HTTP_409_CONFLICT
            )
        except RefusedError as refused:  # ActionRefusedError included
            return await _page(
                meeting,
                staff,
                refusals=refused.refusals,
                typed=typed,
                status_code=HTTP_400_BAD_REQUEST,
            )
        except NotFoundError as missing:
            raise NotFoundException(detail=str(missing)) from missing
        return _done(meeting.id, done)

    @get("/organisations", name="staff_organisations", cache=False)
    async def organisations(
        self,
        staff: NamedDependency[StaffUser],
        q: Annotated[str, QueryParameter(max_length=200)] = "",
    ) -> list[dict[str, str]]:
        """Organisations matching what is typed in the picker, best first (JSON)."""
        found = await search_organisations(q, limit=20) if q.strip() else []
        return [
            {
                "id": str(organisation.id),
                "name": organisation.name,
                "label": f"{organisation.name} · {organisation.id}",
                "hatvp_id": organisation.hatvp_id or "",
            }
            for organisation in found
        ]


def _field_errors(error: RefusedError) -> tuple[Violation, ...]:
    """Input errors of a refused correction, to show with the form."""
    if isinstance(error, ActionRefusedError):
        return tuple(error.input_errors)
    return ()


def _ground(value: str) -> LegalGround | None:
    try:
        return LegalGround(value) if value else None
    except ValueError:
        return None

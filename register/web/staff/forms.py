"""Reading the meeting screen's forms into the services' plain values, exactly as typed.

Rows of repeated fields are numbered (`other_role_0`, `rep_org_0`, …). The organisation picker
offers "Name · id" choices; an organisation typed by its exact name alone is looked up, so the
form also works without JavaScript.
"""

import re
from typing import Any

from register.domain.normalise import normalise
from register.services.organisations import search_organisations
from register.services.record_form import AttendeeInput, RecordForm, RepresentativeInput

MAX_ROWS = 40
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def _text(form: Any, key: str, limit: int = 5000) -> str:
    value = form.get(key, "")
    return str(value)[:limit] if value is not None else ""


async def resolve_organisation(typed: str) -> str:
    """The organisation id in what was typed or picked; the text itself when none is found
    (the record's check then names it as unknown)."""
    typed = typed.strip()
    found = _UUID.search(typed)
    if found:
        return found.group(0).lower()
    if not typed:
        return ""
    candidates = await search_organisations(typed, limit=5)
    exact = [c for c in candidates if normalise(c.name) == normalise(typed)]
    return str(exact[0].id) if len(exact) == 1 else typed


async def record_form(form: Any) -> RecordForm:
    attendees = [
        AttendeeInput(
            role=_text(form, f"other_role_{row}", 200), name=_text(form, f"other_name_{row}", 200)
        )
        for row in range(MAX_ROWS)
        if _text(form, f"other_role_{row}").strip() or _text(form, f"other_name_{row}").strip()
    ]
    representatives = []
    for row in range(MAX_ROWS):
        typed = _text(form, f"rep_org_{row}", 400)
        people = _text(form, f"rep_people_{row}", 2000)
        if typed.strip() or people.strip():
            representatives.append(
                RepresentativeInput(
                    representative_id=await resolve_organisation(typed), people=people
                )
            )
    return RecordForm(
        officials_present=[str(value)[:64] for value in form.getall("officials_present", [])],
        other_attendees=attendees,
        representatives=representatives,
        subject=_text(form, "subject", 2000),
        policy_area=_text(form, "policy_area", 60),
        format=_text(form, "format", 20),
        initiative=_text(form, "initiative", 20),
        documents=_text(form, "documents", 10_000),
    )


def lock_version(form: Any) -> int:
    """The version of the meeting the form was built from (optimistic locking); -1 when the
    field is missing or garbled, which never matches and so reads as a conflict."""
    try:
        return int(_text(form, "lock_version", 12))
    except ValueError:
        return -1

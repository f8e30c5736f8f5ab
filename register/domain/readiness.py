"""Whether a meeting may go to the public register: its kind, its privacy, its record."""

from register.domain.collegiality import Violation, check_collegiality
from register.domain.meeting import Meeting
from register.domain.policy import Policy
from register.domain.text import Message


def publication_violations(meeting: Meeting, policy: Policy) -> tuple[Violation, ...]:
    """Everything that stops `meeting` from being published under `policy`."""
    found: list[Violation] = []
    if meeting.is_private:
        found.append(
            Violation(
                code="private_event",
                field="calendar",
                message=Message(
                    fr="L'événement est privé ou confidentiel dans l'agenda : il n'est jamais "
                    "publié.",
                    en="The calendar marks this event private or confidential: it is never "
                    "published.",
                ),
            )
        )
    if not meeting.classification.is_interest_meeting:
        found.append(
            Violation(
                code="not_interest_meeting",
                field="classification",
                message=Message(
                    fr="Seules les rencontres avec des représentants d'intérêts sont publiées ; "
                    "confirmez d'abord la classification.",
                    en="Only meetings with interest representatives are published; confirm the "
                    "classification first.",
                ),
            )
        )
    found.extend(
        check_collegiality(
            meeting.record,
            policy,
            owner_id=meeting.official_id,
            with_interest_representative=True,
        )
    )
    return tuple(found)

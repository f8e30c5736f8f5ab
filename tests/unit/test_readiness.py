"""What stops a meeting from being published, beyond its collegiality record."""

from datetime import UTC, datetime, timedelta

from register.domain.calendar_data import CalendarData
from register.domain.classification import Classification
from register.domain.kinds import ClassificationKind, MeetingStatus, Visibility
from register.domain.meeting import Meeting
from register.domain.policy import Policy
from register.domain.readiness import publication_violations
from tests import factories

AUTHORITY = factories.authority()
OWNER = factories.official(AUTHORITY.id)
COLLEAGUE = factories.official(AUTHORITY.id, slug="paul-petit", full_name="Paul Petit")
REP = factories.representative()


def _meeting(**overrides: object) -> Meeting:
    values = {
        "record": factories.complete_record(OWNER, COLLEAGUE, REP),
        "classification": factories.interest_classification(REP),
    }
    return factories.meeting(AUTHORITY.id, OWNER.id, **(values | overrides))


def test_complete_interest_meeting_has_no_violation() -> None:
    assert publication_violations(_meeting(), Policy()) == ()


def test_private_and_confidential_events_are_refused() -> None:
    for visibility in (Visibility.PRIVATE, Visibility.CONFIDENTIAL):
        meeting = _meeting(calendar=CalendarData(visibility=visibility))

        codes = [v.code for v in publication_violations(meeting, Policy())]

        assert codes == ["private_event"]


def test_meetings_of_other_kinds_are_refused_until_reclassified() -> None:
    for kind in set(ClassificationKind) - {ClassificationKind.INTEREST_REPRESENTATIVE}:
        meeting = _meeting(classification=Classification(kind=kind, confidence=0.9))

        codes = [v.code for v in publication_violations(meeting, Policy())]

        assert codes == ["not_interest_meeting"]


def test_record_violations_are_added_after_the_meeting_level_ones() -> None:
    meeting = _meeting(
        calendar=CalendarData(visibility=Visibility.PRIVATE),
        record=factories.complete_record(OWNER, COLLEAGUE, REP, subject="", policy_area=""),
    )

    codes = [v.code for v in publication_violations(meeting, Policy())]

    assert codes == ["private_event", "subject_missing", "policy_area_missing"]


def test_private_or_cancelled_meetings_are_never_late() -> None:
    long_after = factories.MEETING_START + timedelta(days=60)
    held = _meeting()
    private = _meeting(calendar=CalendarData(visibility=Visibility.PRIVATE))
    cancelled = _meeting(status=MeetingStatus.CANCELLED)

    assert held.is_late(15, long_after) is True
    assert private.is_late(15, long_after) is False
    assert cancelled.is_late(15, long_after) is False
    assert held.is_late(15, datetime(2026, 3, 20, tzinfo=UTC)) is False

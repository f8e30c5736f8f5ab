"""Folding meetings into compliance figures: what counts, on time or late, medians, shares."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from register.domain.calendar_data import CalendarData
from register.domain.classification import Classification
from register.domain.collegiality import CollegialityRecord
from register.domain.compliance import (
    ComplianceFigures,
    Period,
    fold_compliance,
    meeting_facts,
)
from register.domain.kinds import (
    ClassificationKind,
    LegalGround,
    MeetingStatus,
    PublicationState,
    Visibility,
)
from register.domain.meeting import Meeting, TimeSpan
from register.domain.policy import Policy
from tests import factories

AUTHORITY = factories.authority()
OWNER = factories.official(AUTHORITY.id)
COLLEAGUE = factories.official(AUTHORITY.id, slug="paul-petit", full_name="Paul Petit")
REP = factories.representative()
POLICY = Policy()  # 15 days to publish
# factories.meeting ends at 2026-03-10 14:30 UTC, so it is due on 2026-03-25 at 14:30 UTC.
END = factories.MEETING_START + timedelta(hours=1)
DUE = END + timedelta(days=15)
LATER = DUE + timedelta(days=30)
PARIS = ZoneInfo("Europe/Paris")


def _meeting(
    published_after_end: timedelta | None = None,
    *,
    official_id: UUID | None = None,
    **overrides: object,
) -> Meeting:
    """A complete interest meeting of the mayor (or of `official_id`); published
    `published_after_end` after it ended, when given."""
    values: dict[str, object] = {
        "record": factories.complete_record(OWNER, COLLEAGUE, REP),
        "classification": factories.interest_classification(REP),
    }
    if published_after_end is not None:
        values |= {
            "publication_state": PublicationState.PUBLISHED,
            "published_version": 1,
            "first_published_at": END + published_after_end,
        }
    return factories.meeting(AUTHORITY.id, official_id or OWNER.id, **(values | overrides))


def _authority_figures(
    meetings: list[Meeting], *, now: datetime = LATER, policy: Policy = POLICY
) -> ComplianceFigures:
    tallies = fold_compliance(meeting_facts(m, policy, now=now) for m in meetings)
    return tallies.authority(AUTHORITY.id).figures(
        kind="authority",
        group_id=AUTHORITY.id,
        name=AUTHORITY.name,
        authority_id=AUTHORITY.id,
        authority_name=AUTHORITY.name,
    )


def test_published_within_the_deadline_is_on_time_and_after_it_is_late() -> None:
    figures = _authority_figures([_meeting(timedelta(days=10)), _meeting(timedelta(days=20))])

    assert (figures.interest_meetings, figures.due, figures.published) == (2, 2, 2)
    assert figures.on_time == 1
    assert figures.on_time_share == 0.5
    assert figures.median_delay_days == 15.0


def test_published_exactly_at_the_deadline_is_on_time() -> None:
    on_the_dot = _authority_figures([_meeting(timedelta(days=15))])
    a_second_late = _authority_figures([_meeting(timedelta(days=15, seconds=1))])

    assert (on_the_dot.on_time, on_the_dot.on_time_share) == (1, 1.0)
    assert (a_second_late.on_time, a_second_late.on_time_share) == (0, 0.0)


def test_the_authority_policy_sets_the_deadline() -> None:
    figures = _authority_figures(
        [_meeting(timedelta(days=10))], policy=Policy(publication_deadline_days=5)
    )

    assert (figures.on_time, figures.on_time_share) == (0, 0.0)


def test_an_unpublished_meeting_is_due_only_once_its_deadline_has_passed() -> None:
    unpublished = [_meeting()]

    before = _authority_figures(unpublished, now=DUE)
    after = _authority_figures(unpublished, now=DUE + timedelta(seconds=1))

    assert (before.interest_meetings, before.due, before.on_time_share) == (1, 0, None)
    assert (after.interest_meetings, after.due, after.on_time, after.on_time_share) == (
        1,
        1,
        0,
        0.0,
    )


def test_a_meeting_published_before_its_deadline_counts_as_due_and_on_time() -> None:
    figures = _authority_figures(
        [_meeting(timedelta(days=2)), _meeting()], now=END + timedelta(days=3)
    )

    assert (figures.interest_meetings, figures.due, figures.on_time) == (2, 1, 1)
    assert figures.on_time_share == 1.0
    assert figures.median_delay_days == 2.0


@pytest.mark.parametrize(
    ("delays", "median"),
    [
        ([1, 2, 10], 2.0),
        ([20, 1, 10, 2], 6.0),
        ([7], 7.0),
    ],
)
def test_median_delay_over_odd_and_even_counts(delays: list[int], median: float) -> None:
    figures = _authority_figures([_meeting(timedelta(days=d)) for d in delays])

    assert figures.median_delay_days == median


def test_delay_is_counted_from_the_start_when_the_meeting_has_no_end() -> None:
    start = factories.MEETING_START
    meeting = _meeting(
        when=TimeSpan(starts_at=start),
        publication_state=PublicationState.PUBLISHED,
        first_published_at=start + timedelta(days=3, hours=12),
    )

    assert _authority_figures([meeting]).median_delay_days == 3.5


def test_a_group_without_meetings_has_zeros_and_no_shares() -> None:
    figures = _authority_figures([])

    assert (figures.interest_meetings, figures.due, figures.published) == (0, 0, 0)
    assert figures.on_time_share is None
    assert figures.complete_share is None
    assert figures.median_delay_days is None
    assert figures.exemptions == dict.fromkeys(LegalGround, 0)


def test_exempted_meetings_count_only_under_their_ground() -> None:
    late_exempted = _meeting(exemption_ground=LegalGround.SECURITY)
    incomplete_exempted = _meeting(
        record=CollegialityRecord(), exemption_ground=LegalGround.SECURITY
    )
    other_ground = _meeting(exemption_ground=LegalGround.PROCUREMENT)
    late = _meeting()

    figures = _authority_figures([late_exempted, incomplete_exempted, other_ground, late])

    assert figures.interest_meetings == 1
    assert (figures.due, figures.on_time, figures.on_time_share) == (1, 0, 0.0)
    assert (figures.complete_records, figures.complete_share) == (1, 1.0)
    assert figures.exemptions == {
        LegalGround.SECURITY: 2,
        LegalGround.PRIVACY: 0,
        LegalGround.PROCUREMENT: 1,
        LegalGround.JUDICIAL: 0,
        LegalGround.OUT_OF_SCOPE: 0,
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"calendar": CalendarData(visibility=Visibility.PRIVATE)},
        {"calendar": CalendarData(visibility=Visibility.CONFIDENTIAL)},
        {"status": MeetingStatus.CANCELLED},
        {"classification": Classification(kind=ClassificationKind.INSTITUTIONAL, confidence=1)},
        {"classification": Classification(kind=ClassificationKind.UNKNOWN, confidence=0)},
    ],
    ids=["private", "confidential", "cancelled", "institutional", "unknown"],
)
def test_private_cancelled_and_other_meetings_are_not_counted(
    overrides: dict[str, object],
) -> None:
    excluded = _meeting(exemption_ground=LegalGround.PRIVACY, **overrides)

    assert meeting_facts(excluded, POLICY, now=LATER) is None
    figures = _authority_figures([excluded, _meeting(timedelta(days=1))])
    assert (figures.interest_meetings, figures.due, figures.published) == (1, 1, 1)
    assert figures.exemptions[LegalGround.PRIVACY] == 0


def test_a_record_is_complete_when_it_passes_the_check_or_was_published() -> None:
    complete_draft = _meeting()
    incomplete_draft = _meeting(record=CollegialityRecord(subject="Point"))
    # Published when complete; a later edit of the working record does not undo that.
    published_since_edited = _meeting(timedelta(days=1), record=CollegialityRecord())

    figures = _authority_figures([complete_draft, incomplete_draft, published_since_edited])

    assert figures.interest_meetings == 3
    assert figures.complete_records == 2
    assert figures.complete_share == pytest.approx(2 / 3)


def test_figures_are_kept_per_official_and_per_authority() -> None:
    other = factories.authority(slug="ville-autre", name="Ville Autre")
    other_official = factories.official(other.id, slug="ana-lima", full_name="Ana Lima")
    meetings = [
        _meeting(timedelta(days=1)),
        _meeting(official_id=COLLEAGUE.id),
        factories.meeting(
            other.id,
            other_official.id,
            classification=factories.interest_classification(REP),
            record=factories.complete_record(other_official, COLLEAGUE, REP),
        ),
    ]

    tallies = fold_compliance(meeting_facts(m, POLICY, now=LATER) for m in meetings)

    assert tallies.authority(AUTHORITY.id).interest_meetings == 2
    assert tallies.authority(AUTHORITY.id).published == 1
    assert tallies.authority(other.id).interest_meetings == 1
    assert tallies.authority(other.id).published == 0
    assert tallies.official(OWNER.id).published == 1
    assert (
        tallies.official(COLLEAGUE.id).interest_meetings,
        tallies.official(COLLEAGUE.id).due,
    ) == (1, 1)
    assert tallies.official(other_official.id).interest_meetings == 1
    assert tallies.official(factories.official(AUTHORITY.id).id).interest_meetings == 0


def test_the_period_is_read_in_days_of_the_authority_time_zone() -> None:
    # 23:30 UTC on 31 March is already 1 April in Paris (summer time, UTC+2).
    late_evening = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    meeting = _meeting(when=TimeSpan(starts_at=late_evening))
    april = Period(since=date(2026, 4, 1), until=date(2026, 4, 30))
    march = Period(since=date(2026, 3, 1), until=date(2026, 3, 31))

    assert meeting_facts(meeting, POLICY, now=LATER, period=april, zone=PARIS) is not None
    assert meeting_facts(meeting, POLICY, now=LATER, period=march, zone=PARIS) is None
    assert meeting_facts(meeting, POLICY, now=LATER, period=march, zone=ZoneInfo("UTC")) is not None
    assert april.bounds(PARIS) == (
        datetime(2026, 3, 31, 22, 0, tzinfo=UTC),
        datetime(2026, 4, 30, 22, 0, tzinfo=UTC),
    )
    assert Period().bounds(PARIS) == (None, None)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="the period ends before it starts"):
        Period(since=date(2026, 4, 2), until=date(2026, 4, 1))

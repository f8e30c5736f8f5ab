"""The facts of a published meeting read from its dates alone are those of the whole meeting."""

from datetime import timedelta

import pytest

from register.domain.compliance import meeting_facts, published_facts
from register.domain.kinds import LegalGround, PublicationState
from register.domain.meeting import Meeting, TimeSpan
from register.domain.policy import Policy
from tests import factories

AUTHORITY = factories.authority()
OWNER = factories.official(AUTHORITY.id)
REP = factories.representative()
END = factories.MEETING_START + timedelta(hours=1)


def _published(after_end: timedelta, **overrides: object) -> Meeting:
    return factories.meeting(
        AUTHORITY.id,
        OWNER.id,
        **{
            "classification": factories.interest_classification(REP),
            "publication_state": PublicationState.PUBLISHED,
            "published_version": 1,
            "first_published_at": END + after_end,
            **overrides,
        },
    )


@pytest.mark.parametrize(
    ("after_end", "overrides", "deadline"),
    [
        (timedelta(days=-1), {}, 15),
        (timedelta(days=15), {}, 15),
        (timedelta(days=15, seconds=1), {}, 15),
        (timedelta(days=40), {}, 30),
        (timedelta(days=3), {"exemption_ground": LegalGround.SECURITY}, 15),
        (
            timedelta(days=16),
            {"when": TimeSpan(starts_at=factories.MEETING_START, ends_at=None)},
            15,
        ),
    ],
)
def test_published_facts_equal_the_whole_meetings_facts(
    after_end: timedelta, overrides: dict[str, object], deadline: int
) -> None:
    meeting = _published(after_end, **overrides)
    policy = Policy(publication_deadline_days=deadline)
    assert meeting.first_published_at is not None
    whole = meeting_facts(meeting, policy, now=END + timedelta(days=365))
    assert whole is not None
    assert (
        published_facts(
            authority_id=meeting.authority_id,
            official_id=meeting.official_id,
            exemption_ground=meeting.exemption_ground,
            starts_at=meeting.when.starts_at,
            ends_at=meeting.when.ends_at,
            first_published_at=meeting.first_published_at,
            policy=policy,
        )
        == whole
    )

"""The register's values: what each model accepts, refuses and computes."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from register.domain.authority import Authority
from register.domain.calendar_data import CalendarData
from register.domain.classification import UNCLASSIFIED, Classification, Reason
from register.domain.kinds import (
    AuthorityKind,
    ClassificationKind,
    Decider,
    LegalGround,
    OfficialKind,
    PublicationState,
    StaffRole,
    Visibility,
)
from register.domain.meeting import Meeting, TimeSpan
from register.domain.official import Official
from register.domain.policy import Policy, PolicyArea, RecordField
from register.domain.representative import InterestRepresentative
from register.domain.source import SourceHealth
from register.domain.staff import StaffUser
from register.domain.text import Message

AUTHORITY_ID = UUID("a0000000-0000-4000-8000-000000000001")
OTHER_AUTHORITY_ID = UUID("a0000000-0000-4000-8000-000000000002")
OFFICIAL_ID = UUID("b0000000-0000-4000-8000-000000000001")
REPRESENTATIVE_ID = UUID("c0000000-0000-4000-8000-000000000001")
MEETING_ID = UUID("d0000000-0000-4000-8000-000000000001")
USER_ID = UUID("f0000000-0000-4000-8000-000000000001")


# --- Authority ------------------------------------------------------------------------------


def authority(**overrides: object) -> Authority:
    fields: dict[str, object] = {
        "id": AUTHORITY_ID,
        "slug": "ville-exemple",
        "name": "Ville d'Exemple",
        "kind": AuthorityKind.COMMUNE,
    }
    fields.update(overrides)
    return Authority.model_validate(fields)


def test_authority_defaults_to_paris_time_and_default_policy() -> None:
    a = authority()

    assert a.timezone == "Europe/Paris"
    assert a.zone == ZoneInfo("Europe/Paris")
    assert a.policy == Policy()
    assert a.siren is None


@pytest.mark.parametrize("zone", ["America/Cayenne", "Indian/Reunion", "UTC"])
def test_authority_accepts_known_time_zones(zone: str) -> None:
    assert authority(timezone=zone).zone == ZoneInfo(zone)


@pytest.mark.parametrize("zone", ["Europe/Lutece", "Paris", "", "../etc/passwd"])
def test_authority_rejects_unknown_time_zone(zone: str) -> None:
    with pytest.raises(ValidationError, match="unknown IANA time zone"):
        authority(timezone=zone)


def test_authority_accepts_a_nine_digit_siren() -> None:
    assert authority(siren="213105554").siren == "213105554"


@pytest.mark.parametrize("siren", ["21310555", "2131055540", "21310555A", "213 105 554", ""])
def test_authority_rejects_malformed_siren(siren: str) -> None:
    with pytest.raises(ValidationError, match="siren"):
        authority(siren=siren)


@pytest.mark.parametrize("slug", ["ville-exemple", "paris", "paris13", "seine-saint-denis"])
def test_authority_accepts_lowercase_hyphenated_slug(slug: str) -> None:
    assert authority(slug=slug).slug == slug


@pytest.mark.parametrize(
    "slug",
    ["Ville-Exemple", "ville exemple", "-ville", "ville-", "ville--exemple", "", "ville_exemple"],
)
def test_authority_rejects_bad_slug(slug: str) -> None:
    with pytest.raises(ValidationError, match="slug"):
        authority(slug=slug)


def test_authority_rejects_empty_name() -> None:
    with pytest.raises(ValidationError, match="name"):
        authority(name="")


# --- Official -------------------------------------------------------------------------------


def official(**overrides: object) -> Official:
    fields: dict[str, object] = {
        "id": OFFICIAL_ID,
        "authority_id": AUTHORITY_ID,
        "slug": "claire-dupont",
        "full_name": "Claire Dupont",
        "kind": OfficialKind.ELECTED,
        "role": "Maire",
        "mandate_start": date(2020, 7, 3),
        "mandate_end": date(2026, 3, 22),
    }
    fields.update(overrides)
    return Official.model_validate(fields)


def test_official_rejects_mandate_ending_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="mandate_end is before mandate_start"):
        official(mandate_start=date(2026, 3, 22), mandate_end=date(2020, 7, 3))


def test_official_accepts_a_mandate_of_one_day() -> None:
    one_day = official(mandate_start=date(2024, 1, 1), mandate_end=date(2024, 1, 1))

    assert one_day.in_office_on(date(2024, 1, 1)) is True
    assert one_day.in_office_on(date(2024, 1, 2)) is False


@pytest.mark.parametrize(
    ("day", "in_office"),
    [
        (date(2020, 7, 2), False),
        (date(2020, 7, 3), True),
        (date(2023, 5, 1), True),
        (date(2026, 3, 22), True),
        (date(2026, 3, 23), False),
    ],
)
def test_official_in_office_on_includes_both_mandate_bounds(day: date, in_office: bool) -> None:
    assert official().in_office_on(day) is in_office


def test_official_with_open_mandate_ends_is_in_office_on_any_day() -> None:
    open_ended = official(mandate_start=None, mandate_end=None)

    assert open_ended.in_office_on(date(1900, 1, 1)) is True
    assert open_ended.in_office_on(date(2100, 1, 1)) is True


def test_official_with_only_a_start_is_in_office_from_that_day() -> None:
    started = official(mandate_start=date(2020, 7, 3), mandate_end=None)

    assert started.in_office_on(date(2020, 7, 2)) is False
    assert started.in_office_on(date(2099, 1, 1)) is True


def test_official_with_only_an_end_is_in_office_until_that_day() -> None:
    ending = official(mandate_start=None, mandate_end=date(2026, 3, 22))

    assert ending.in_office_on(date(2000, 1, 1)) is True
    assert ending.in_office_on(date(2026, 3, 23)) is False


def test_official_rejects_bad_slug() -> None:
    with pytest.raises(ValidationError, match="slug"):
        official(slug="Claire Dupont")


# --- InterestRepresentative -----------------------------------------------------------------


def representative(**overrides: object) -> InterestRepresentative:
    fields: dict[str, object] = {"id": REPRESENTATIVE_ID, "name": "Fédération du BTP"}
    fields.update(overrides)
    return InterestRepresentative.model_validate(fields)


def test_representative_email_domains_are_lowercased_stripped_and_deduplicated() -> None:
    rep = representative(
        email_domains=(" FFBatiment.FR ", "@ffbatiment.fr", "@@Federation-BTP.fr", "", "  ")
    )

    assert rep.email_domains == ("ffbatiment.fr", "federation-btp.fr")


def test_representative_email_domains_keep_first_seen_order() -> None:
    rep = representative(email_domains=("b.fr", "A.fr", "b.FR", "c.fr"))

    assert rep.email_domains == ("b.fr", "a.fr", "c.fr")


@pytest.mark.parametrize("domain", ["localhost", "ffbatiment", "ff batiment.fr", "@ ffbatiment.fr"])
def test_representative_rejects_something_that_is_not_an_email_domain(domain: str) -> None:
    with pytest.raises(ValidationError, match="not an e-mail domain"):
        representative(email_domains=("ffbatiment.fr", domain))


def test_representative_rejects_a_full_email_address_as_a_domain() -> None:
    """Bug: an e-mail address given as a domain is accepted, so it silently never matches."""
    with pytest.raises(ValidationError, match="not an e-mail domain"):
        representative(email_domains=("contact@ffbatiment.fr",))


def test_representative_hatvp_url_uses_the_national_id() -> None:
    assert representative(hatvp_id="H123456789").hatvp_url == (
        "https://www.hatvp.fr/fiche-organisation/?organisation=H123456789"
    )


@pytest.mark.parametrize("hatvp_id", [None, ""])
def test_representative_without_hatvp_id_has_no_hatvp_url(hatvp_id: str | None) -> None:
    assert representative(hatvp_id=hatvp_id).hatvp_url is None


def test_representative_eu_register_url_uses_the_transparency_id() -> None:
    assert representative(eu_transparency_id="123456789012-34").eu_register_url == (
        "https://transparency-register.europa.eu/searchregister-or-update/"
        "organisation-detail_en?id=123456789012-34"
    )


def test_representative_without_eu_id_has_no_eu_register_url() -> None:
    assert representative().eu_register_url is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("siren", "77567135"),
        ("rna", "W12345678"),
        ("rna", "X123456789"),
        ("eu_transparency_id", "12345-67"),
        ("eu_transparency_id", "123456789012"),
    ],
)
def test_representative_rejects_malformed_identifiers(field: str, value: str) -> None:
    with pytest.raises(ValidationError, match=field):
        representative(**{field: value})


def test_representative_accepts_well_formed_identifiers() -> None:
    rep = representative(siren="775671356", rna="W123456789", eu_transparency_id="1234567-89")

    assert (rep.siren, rep.rna, rep.eu_transparency_id) == ("775671356", "W123456789", "1234567-89")


# --- TimeSpan -------------------------------------------------------------------------------


def test_timespan_converts_aware_times_to_utc() -> None:
    span = TimeSpan(
        starts_at=datetime.fromisoformat("2025-07-01T10:00:00+02:00"),
        ends_at=datetime.fromisoformat("2025-07-01T11:30:00+02:00"),
    )

    assert span.starts_at == datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
    assert span.starts_at.utcoffset() == timedelta(0)
    assert span.ends_at == datetime(2025, 7, 1, 9, 30, tzinfo=UTC)
    assert span.duration == timedelta(hours=1, minutes=30)


def test_timespan_without_end_has_no_duration() -> None:
    assert TimeSpan(starts_at=datetime(2025, 7, 1, 8, tzinfo=UTC)).duration is None


def test_timespan_rejects_naive_start() -> None:
    with pytest.raises(ValidationError, match="times must be timezone-aware"):
        TimeSpan(starts_at=datetime(2025, 7, 1, 10, 0))


def test_timespan_rejects_naive_end() -> None:
    with pytest.raises(ValidationError, match="times must be timezone-aware"):
        TimeSpan(starts_at=datetime(2025, 7, 1, 8, tzinfo=UTC), ends_at=datetime(2025, 7, 1, 10))


def test_timespan_rejects_end_before_start() -> None:
    with pytest.raises(ValidationError, match="the meeting ends before it starts"):
        TimeSpan(
            starts_at=datetime(2025, 7, 1, 10, tzinfo=UTC),
            ends_at=datetime(2025, 7, 1, 9, 59, tzinfo=UTC),
        )


def test_timespan_end_before_start_is_judged_after_utc_conversion() -> None:
    """10:30 in Paris in July (UTC+2) is 08:30 UTC, before a 09:00 UTC start."""
    with pytest.raises(ValidationError, match="the meeting ends before it starts"):
        TimeSpan(
            starts_at=datetime(2025, 7, 1, 9, 0, tzinfo=UTC),
            ends_at=datetime.fromisoformat("2025-07-01T10:30:00+02:00"),
        )


def test_timespan_accepts_zero_length_meeting() -> None:
    at = datetime(2025, 7, 1, 9, tzinfo=UTC)

    assert TimeSpan(starts_at=at, ends_at=at).duration == timedelta(0)


def test_timespan_rejects_unknown_time_zone_as_a_validation_error() -> None:
    """Bug: an unknown zone escapes as ZoneInfoNotFoundError (a KeyError), not ValidationError."""
    with pytest.raises(ValidationError):
        TimeSpan(starts_at=datetime(2025, 7, 1, 9, tzinfo=UTC), timezone="Europe/Lutece")


@pytest.mark.parametrize(
    ("starts_at", "zone", "local"),
    [
        ("2025-01-15T09:00:00+00:00", "Europe/Paris", "2025-01-15T10:00:00+01:00"),
        ("2025-07-01T08:00:00+00:00", "Europe/Paris", "2025-07-01T10:00:00+02:00"),
        ("2025-07-01T08:00:00+00:00", "America/Cayenne", "2025-07-01T05:00:00-03:00"),
        ("2025-07-01T08:00:00+00:00", "Indian/Reunion", "2025-07-01T12:00:00+04:00"),
    ],
)
def test_timespan_local_start_is_in_the_events_own_zone(
    starts_at: str, zone: str, local: str
) -> None:
    span = TimeSpan(starts_at=datetime.fromisoformat(starts_at), timezone=zone)

    assert span.local_start().isoformat() == local
    assert span.local_start().tzinfo == ZoneInfo(zone)


# --- Meeting --------------------------------------------------------------------------------

MEETING_END = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
INTEREST = Classification(kind=ClassificationKind.INTEREST_REPRESENTATIVE, confidence=0.9)


def meeting(**overrides: object) -> Meeting:
    fields: dict[str, object] = {
        "id": MEETING_ID,
        "authority_id": AUTHORITY_ID,
        "official_id": OFFICIAL_ID,
        "when": TimeSpan(starts_at=MEETING_END - timedelta(hours=1), ends_at=MEETING_END),
        "classification": INTEREST,
    }
    fields.update(overrides)
    return Meeting.model_validate(fields)


@pytest.mark.parametrize(
    ("visibility", "private"),
    [(Visibility.PUBLIC, False), (Visibility.PRIVATE, True), (Visibility.CONFIDENTIAL, True)],
)
def test_meeting_is_private_unless_calendar_marks_it_public(
    visibility: Visibility, private: bool
) -> None:
    assert meeting(calendar=CalendarData(visibility=visibility)).is_private is private


def test_meeting_defaults_to_public_draft_unclassified() -> None:
    m = Meeting(
        id=MEETING_ID,
        authority_id=AUTHORITY_ID,
        official_id=OFFICIAL_ID,
        when=TimeSpan(starts_at=MEETING_END),
    )

    assert m.is_private is False
    assert m.publication_state is PublicationState.DRAFT
    assert m.classification == UNCLASSIFIED
    assert m.published_version == 0


def test_publication_due_counts_from_the_end_of_the_meeting() -> None:
    assert meeting().publication_due(15) == datetime(2025, 3, 19, 10, 0, tzinfo=UTC)


def test_publication_due_counts_from_the_start_when_there_is_no_end() -> None:
    m = meeting(when=TimeSpan(starts_at=datetime(2025, 3, 4, 9, 0, tzinfo=UTC)))

    assert m.publication_due(1) == datetime(2025, 3, 5, 9, 0, tzinfo=UTC)


DUE = datetime(2025, 3, 19, 10, 0, tzinfo=UTC)
AFTER_DUE = DUE + timedelta(seconds=1)


@pytest.mark.parametrize("state", [PublicationState.DRAFT, PublicationState.READY])
def test_unpublished_interest_meeting_past_deadline_is_late(state: PublicationState) -> None:
    assert meeting(publication_state=state).is_late(15, AFTER_DUE) is True


def test_meeting_is_not_late_at_the_deadline_itself() -> None:
    assert meeting().is_late(15, DUE) is False
    assert meeting().is_late(15, DUE - timedelta(days=3)) is False


@pytest.mark.parametrize(
    "state", [PublicationState.PUBLISHED, PublicationState.CORRECTED, PublicationState.WITHDRAWN]
)
def test_published_meeting_is_never_late(state: PublicationState) -> None:
    assert meeting(publication_state=state).is_late(15, AFTER_DUE + timedelta(days=365)) is False


def test_exempted_meeting_is_not_late() -> None:
    exempted = meeting(exemption_ground=LegalGround.SECURITY)

    assert exempted.is_late(15, AFTER_DUE) is False


@pytest.mark.parametrize(
    "kind",
    [
        ClassificationKind.INSTITUTIONAL,
        ClassificationKind.INTERNAL,
        ClassificationKind.PRIVATE,
        ClassificationKind.PERSONAL,
        ClassificationKind.UNKNOWN,
    ],
)
def test_meeting_without_interest_representative_is_not_late(kind: ClassificationKind) -> None:
    other = meeting(classification=Classification(kind=kind, confidence=0.9))

    assert other.is_late(15, AFTER_DUE) is False


def test_lateness_follows_the_policy_deadline() -> None:
    now = MEETING_END + timedelta(days=10)

    assert meeting().is_late(9, now) is True
    assert meeting().is_late(10, now) is False
    assert meeting().is_late(15, now) is False


# --- Message, Policy, Classification ----------------------------------------------------------

HELLO = Message(fr="Bonjour", en="Hello")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Bonjour"),
        ("en", "Hello"),
        ("EN", "Hello"),
        ("en-GB", "Hello"),
        ("fr-FR", "Bonjour"),
        ("de", "Bonjour"),
        ("", "Bonjour"),
    ],
)
def test_message_in_language_falls_back_to_french(language: str, text: str) -> None:
    assert HELLO.in_language(language) == text


def test_policy_defaults_follow_the_charters_common_core() -> None:
    policy = Policy()

    assert policy.min_present == 2
    assert policy.owner_must_attend is True
    assert policy.required_fields == frozenset(
        {RecordField.SUBJECT, RecordField.POLICY_AREA, RecordField.FORMAT, RecordField.INITIATIVE}
    )
    assert policy.require_representative_names is False
    assert policy.publish_representative_names is False
    assert policy.publication_deadline_days == 15
    assert policy.min_subject_length == 15
    assert len(policy.policy_areas) == 17


def test_policy_area_finds_an_area_by_code() -> None:
    area = Policy().policy_area("mobilites")

    assert area == PolicyArea(
        code="mobilites",
        label=Message(fr="Mobilités et transports", en="Mobility and transport"),
    )


@pytest.mark.parametrize("code", ["aeronautique", "", "Eau", "eau "])
def test_policy_area_is_none_for_an_unknown_code(code: str) -> None:
    assert Policy().policy_area(code) is None


def test_policy_area_uses_the_authoritys_own_list() -> None:
    own = PolicyArea(code="montagne", label=Message(fr="Montagne", en="Mountains"))
    policy = Policy(policy_areas=(own,))

    assert policy.policy_area("montagne") == own
    assert policy.policy_area("eau") is None


@pytest.mark.parametrize("code", ["Eau", "-eau", "eau potable", "eau_potable", ""])
def test_policy_area_code_must_be_lowercase_slug(code: str) -> None:
    with pytest.raises(ValidationError, match="code"):
        PolicyArea(code=code, label=Message(fr="Eau", en="Water"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_present", 0),
        ("min_present", 21),
        ("publication_deadline_days", 0),
        ("publication_deadline_days", 367),
        ("min_subject_length", 0),
    ],
)
def test_policy_rejects_out_of_range_numbers(field: str, value: int) -> None:
    with pytest.raises(ValidationError, match=field):
        Policy.model_validate({field: value})


@pytest.mark.parametrize("confidence", [0.0, 0.5, 1.0])
def test_classification_accepts_confidence_within_zero_and_one(confidence: float) -> None:
    assert Classification(kind=ClassificationKind.UNKNOWN, confidence=confidence).confidence == (
        confidence
    )


@pytest.mark.parametrize("confidence", [-0.01, 1.01, 2.0])
def test_classification_rejects_confidence_outside_zero_and_one(confidence: float) -> None:
    with pytest.raises(ValidationError, match="confidence"):
        Classification(kind=ClassificationKind.UNKNOWN, confidence=confidence)


@pytest.mark.parametrize(
    ("kind", "interest"),
    [
        (ClassificationKind.INTEREST_REPRESENTATIVE, True),
        (ClassificationKind.INSTITUTIONAL, False),
        (ClassificationKind.INTERNAL, False),
        (ClassificationKind.PRIVATE, False),
        (ClassificationKind.PERSONAL, False),
        (ClassificationKind.UNKNOWN, False),
    ],
)
def test_only_interest_representative_meetings_are_publishable(
    kind: ClassificationKind, interest: bool
) -> None:
    classification = Classification(kind=kind, confidence=1.0)

    assert classification.is_interest_meeting is interest
    assert classification.is_publishable_kind is interest


def test_unclassified_is_unknown_with_no_confidence_decided_by_rule() -> None:
    assert UNCLASSIFIED.kind is ClassificationKind.UNKNOWN
    assert UNCLASSIFIED.confidence == 0.0
    assert UNCLASSIFIED.reasons == ()
    assert UNCLASSIFIED.decided_by is Decider.RULE


def test_reason_needs_a_rule_name() -> None:
    with pytest.raises(ValidationError, match="rule"):
        Reason(rule="", explanation=HELLO)


# --- StaffUser ------------------------------------------------------------------------------


def staff(role: StaffRole, *, active: bool = True) -> StaffUser:
    return StaffUser(
        id=USER_ID,
        username="c.dupont",
        role=role,
        authority_ids=(AUTHORITY_ID,),
        active=active,
    )


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        (StaffRole.ADMINISTRATOR, True, True),
        (StaffRole.EDITOR, True, False),
        (StaffRole.OFFICIAL, True, False),
    ],
)
def test_staff_may_act_for_authorities_according_to_role(
    role: StaffRole, own: bool, other: bool
) -> None:
    user = staff(role)

    assert user.may_act_for(AUTHORITY_ID) is own
    assert user.may_act_for(OTHER_AUTHORITY_ID) is other


@pytest.mark.parametrize("role", list(StaffRole))
def test_inactive_staff_may_act_for_no_authority(role: StaffRole) -> None:
    user = staff(role, active=False)

    assert user.may_act_for(AUTHORITY_ID) is False
    assert user.may_act_for(OTHER_AUTHORITY_ID) is False


def test_editor_without_authorities_may_act_for_none() -> None:
    user = StaffUser(id=USER_ID, username="editeur", role=StaffRole.EDITOR)

    assert user.may_act_for(AUTHORITY_ID) is False


@pytest.mark.parametrize("username", ["a", " bob", "bob smith", "-bob", "é.dupont"])
def test_staff_username_must_be_a_simple_login(username: str) -> None:
    with pytest.raises(ValidationError, match="username"):
        StaffUser(id=USER_ID, username=username, role=StaffRole.EDITOR)


@pytest.mark.parametrize("username", ["bo", "c.dupont", "claire@ville-exemple.fr", "admin-1"])
def test_staff_username_accepts_logins_and_email_like_names(username: str) -> None:
    assert StaffUser(id=USER_ID, username=username, role=StaffRole.EDITOR).username == username


# --- Calendar data and source health ---------------------------------------------------------


def test_calendar_data_defaults_to_public_and_rejects_negative_sequence() -> None:
    assert CalendarData().visibility is Visibility.PUBLIC
    with pytest.raises(ValidationError, match="sequence"):
        CalendarData(sequence=-1)


@pytest.mark.parametrize(("failures", "healthy"), [(0, True), (1, False), (5, False)])
def test_source_is_healthy_only_without_consecutive_failures(failures: int, healthy: bool) -> None:
    assert SourceHealth(consecutive_failures=failures).healthy is healthy

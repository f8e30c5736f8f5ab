"""What an event says besides its times: people, categories, status, privacy, revision."""

from datetime import UTC, datetime

import pytest

from connectors.delta import Window
from connectors.icalendar_events import events_from_ical
from connectors.remote_event import Person, RemoteEvent
from register.domain.kinds import MeetingStatus, Visibility

YEAR_2026 = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))


def read_one(*lines: str, calendar_lines: tuple[str, ...] = ()) -> RemoteEvent:
    data = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            *calendar_lines,
            "BEGIN:VEVENT",
            "UID:rencontre@bellerive.example",
            "DTSTART:20260610T090000Z",
            *lines,
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )
    (event,) = events_from_ical(
        data, href="/cal/rencontre.ics", window=YEAR_2026, default_timezone="Europe/Paris"
    )
    return event


def test_an_event_with_nothing_but_a_start_has_the_defaults() -> None:
    event = read_one()

    assert (event.summary, event.location, event.description) == ("", "", "")
    assert (event.organizer, event.attendees, event.categories) == (None, (), ())
    assert (event.status, event.visibility, event.sequence) == (
        MeetingStatus.CONFIRMED,
        Visibility.PUBLIC,
        0,
    )
    assert event.last_modified is None


def test_text_is_unescaped() -> None:
    event = read_one(
        "SUMMARY:Réunion\\, CCI\\; point n°2",
        "LOCATION:Salle A\\nbâtiment B",
        "DESCRIPTION:Ligne 1\\nLigne 2 \\\\ fin",
    )

    assert event.summary == "Réunion, CCI; point n°2"
    assert event.location == "Salle A\nbâtiment B"
    assert event.description == "Ligne 1\nLigne 2 \\ fin"


# People (RFC 5545 §3.8.4.1, §3.8.4.3)


@pytest.mark.parametrize(
    ("line", "person"),
    [
        (
            "ORGANIZER;CN=Claire Vasseur:mailto:Claire.Vasseur@Bellerive-sur-Loire.FR",
            Person(email="claire.vasseur@bellerive-sur-loire.fr", name="Claire Vasseur"),
        ),
        (
            'ORGANIZER;CN="Roche, Julien":MAILTO:julien.roche@bellerive.example',
            Person(email="julien.roche@bellerive.example", name="Roche, Julien"),
        ),
        ("ORGANIZER:secretariat@bellerive.example", Person(email="secretariat@bellerive.example")),
        (
            "ORGANIZER;CN=Salle du conseil:urn:uuid:6f1c0e2a-4b3d-4e5f-8a9b-0c1d2e3f4a5b",
            Person(name="Salle du conseil"),
        ),
        ("ORGANIZER:", None),
    ],
)
def test_organizer(line: str, person: Person | None) -> None:
    assert read_one(line).organizer == person


def test_attendees_keep_their_order_role_and_answer() -> None:
    event = read_one(
        "ATTENDEE;CN=Julien Roche;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:julien.roche@x.example",
        "ATTENDEE;ROLE=opt-participant;PARTSTAT=declined:mailto:anne@fedelec.example",
        "ATTENDEE;CUTYPE=ROOM;CN=Salle du conseil:mailto:salle.conseil@x.example",
    )

    assert event.attendees == (
        Person(
            email="julien.roche@x.example", name="Julien Roche", role="CHAIR", status="ACCEPTED"
        ),
        Person(email="anne@fedelec.example", role="OPT-PARTICIPANT", status="DECLINED"),
        Person(email="salle.conseil@x.example", name="Salle du conseil"),
    )


# Categories (§3.8.1.2)


def test_categories_of_several_properties_are_flattened_once_each() -> None:
    event = read_one(
        "CATEGORIES:Urbanisme,Mobilités",
        "CATEGORIES:Représentants d'intérêts, Urbanisme",
        "CATEGORIES:Eau\\, assainissement",
    )

    assert event.categories == (
        "Urbanisme",
        "Mobilités",
        "Représentants d'intérêts",
        "Eau, assainissement",
    )


# Status (§3.8.1.11)


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("STATUS:CONFIRMED", MeetingStatus.CONFIRMED),
        ("STATUS:TENTATIVE", MeetingStatus.TENTATIVE),
        ("STATUS:CANCELLED", MeetingStatus.CANCELLED),
        ("STATUS:cancelled", MeetingStatus.CANCELLED),
        ("STATUS:NEEDS-ACTION", MeetingStatus.CONFIRMED),
    ],
)
def test_status(line: str, status: MeetingStatus) -> None:
    assert read_one(line).status is status


def test_a_calendar_sent_to_cancel_cancels_its_events() -> None:
    event = read_one("STATUS:CONFIRMED", calendar_lines=("METHOD:CANCEL",))

    assert event.status is MeetingStatus.CANCELLED


# Visibility (§3.8.1.3 and the vendors' conventions)


@pytest.mark.parametrize(
    ("line", "visibility"),
    [
        ("CLASS:PUBLIC", Visibility.PUBLIC),
        ("CLASS:PRIVATE", Visibility.PRIVATE),
        ("CLASS:private", Visibility.PRIVATE),
        ("CLASS:CONFIDENTIAL", Visibility.CONFIDENTIAL),
        ("CLASS:X-PERSONAL", Visibility.PRIVATE),  # Outlook's "personal" sensitivity
        ("CLASS:X-UNHEARD-OF", Visibility.PRIVATE),  # unknown values count as PRIVATE
        ("X-CALENDARSERVER-ACCESS:CONFIDENTIAL", Visibility.PRIVATE),  # Apple's "Private" box
        ("X-CALENDARSERVER-ACCESS:PRIVATE", Visibility.PRIVATE),
        ("X-CALENDARSERVER-ACCESS:RESTRICTED", Visibility.CONFIDENTIAL),
        ("X-CALENDARSERVER-ACCESS:PUBLIC", Visibility.PUBLIC),
    ],
)
def test_visibility(line: str, visibility: Visibility) -> None:
    assert read_one(line).visibility is visibility


def test_the_most_private_marking_wins() -> None:
    event = read_one("CLASS:CONFIDENTIAL", "X-CALENDARSERVER-ACCESS:CONFIDENTIAL")

    assert event.visibility is Visibility.PRIVATE


def test_apple_private_marking_on_the_calendar_applies_to_its_event() -> None:
    event = read_one("CLASS:PUBLIC", calendar_lines=("X-CALENDARSERVER-ACCESS:CONFIDENTIAL",))

    assert event.visibility is Visibility.PRIVATE


def test_microsoft_busy_status_says_nothing_about_privacy() -> None:
    event = read_one("X-MICROSOFT-CDO-BUSYSTATUS:OOF", "X-MICROSOFT-CDO-IMPORTANCE:2")

    assert event.visibility is Visibility.PUBLIC


# Revision (§3.8.7.2, §3.8.7.3, §3.8.7.4)


def test_sequence() -> None:
    assert read_one("SEQUENCE:7").sequence == 7


def test_last_modified_is_preferred_to_dtstamp() -> None:
    event = read_one("DTSTAMP:20260601T080000Z", "LAST-MODIFIED:20260515T101500Z")

    assert event.last_modified == datetime(2026, 5, 15, 10, 15, tzinfo=UTC)


def test_dtstamp_stands_in_for_last_modified() -> None:
    event = read_one("DTSTAMP:20260601T080000Z")

    assert event.last_modified == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def test_last_modified_written_without_z_is_taken_as_utc() -> None:
    event = read_one("LAST-MODIFIED:20260515T101500")

    assert event.last_modified == datetime(2026, 5, 15, 10, 15, tzinfo=UTC)

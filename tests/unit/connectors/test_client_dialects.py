"""Calendar objects as Google, Outlook/Exchange, Apple iCloud and Thunderbird write them
(tests/data/calendars), read into the occurrences the register stores."""

from datetime import UTC, datetime
from pathlib import Path

from connectors.delta import Window
from connectors.icalendar_events import events_from_ical
from connectors.remote_event import EventKey, Person, RemoteEvent
from register.domain.kinds import MeetingStatus, Visibility

CALENDARS = Path(__file__).parents[2] / "data" / "calendars"
YEAR_2026 = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))


def read(name: str, default_timezone: str = "Europe/Paris") -> tuple[RemoteEvent, ...]:
    return events_from_ical(
        (CALENDARS / name).read_bytes(),
        href=f"/calendars/{name}",
        window=YEAR_2026,
        default_timezone=default_timezone,
    )


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def spans(events: tuple[RemoteEvent, ...]) -> list[tuple[str, datetime, datetime | None]]:
    return [(event.key.recurrence_id, event.start, event.end) for event in events]


# Google Calendar: X-WR-TIMEZONE, UTC times, a floating time, an all-day event, a series


def test_google_export_has_nine_occurrences_sorted_by_start() -> None:
    events = read("google_calendar.ics", default_timezone="America/Martinique")

    assert [event.start for event in events] == [
        at(2026, 3, 10, 9, 0),
        at(2026, 3, 11, 13, 30),
        at(2026, 3, 16, 16, 0),
        at(2026, 4, 1, 22, 0),
        at(2026, 5, 4, 6, 30),
        at(2026, 5, 12, 12, 0),
        at(2026, 5, 18, 6, 30),
        at(2026, 6, 1, 6, 30),
        at(2026, 6, 8, 6, 30),
    ]


def test_google_utc_event_is_read_whole() -> None:
    meeting = read("google_calendar.ics", default_timezone="America/Martinique")[0]

    assert meeting == RemoteEvent(
        key=EventKey(uid="7kq3v1m2p9r8s6t5u4w3x2y1z0@google.com"),
        href="/calendars/google_calendar.ics",
        start=at(2026, 3, 10, 9, 0),
        end=at(2026, 3, 10, 10, 30),
        timezone="Europe/Paris",
        summary="Rencontre avec la Fédération des promoteurs immobiliers Centre-Loire",
        location="Hôtel de ville, salle du conseil",
        description=(
            "Ordre du jour :\n- programme de logements rue des Tanneurs\n"
            "- calendrier des permis\n\n"
            "Rejoindre avec Google Meet : https://meet.google.com/qwe-rtyu-iop"
        ),
        organizer=Person(email="claire.vasseur@bellerive-sur-loire.fr", name="Claire Vasseur"),
        attendees=(
            Person(
                email="claire.vasseur@bellerive-sur-loire.fr",
                name="Claire Vasseur",
                role="REQ-PARTICIPANT",
                status="ACCEPTED",
            ),
            Person(
                email="julien.roche@bellerive-sur-loire.fr",
                name="Julien Roche",
                role="REQ-PARTICIPANT",
                status="ACCEPTED",
            ),
            Person(
                email="m.dufresne@fpi-centre-loire.example",
                name="Dufresne, Marc",
                role="OPT-PARTICIPANT",
                status="TENTATIVE",
            ),
        ),
        status=MeetingStatus.CONFIRMED,
        visibility=Visibility.PUBLIC,
        sequence=2,
        last_modified=at(2026, 3, 1, 17, 45, 2),
    )


def test_google_floating_time_is_in_the_calendars_x_wr_timezone_not_the_default() -> None:
    press = read("google_calendar.ics", default_timezone="America/Martinique")[1]

    assert (press.start, press.end, press.timezone) == (
        at(2026, 3, 11, 13, 30),
        at(2026, 3, 11, 14, 30),
        "Europe/Paris",
    )
    assert press.status is MeetingStatus.TENTATIVE


def test_google_private_event_is_private() -> None:
    medical = read("google_calendar.ics")[2]

    assert medical.summary == "Rendez-vous médical"
    assert medical.visibility is Visibility.PRIVATE


def test_google_all_day_event_spans_the_day_in_the_calendars_zone() -> None:
    congress = read("google_calendar.ics", default_timezone="America/Martinique")[3]

    assert (congress.start, congress.end, congress.all_day, congress.timezone) == (
        at(2026, 4, 1, 22, 0),
        at(2026, 4, 2, 22, 0),
        True,
        "Europe/Paris",
    )


def test_google_series_with_an_exdate_and_a_moved_override() -> None:
    series = [e for e in read("google_calendar.ics") if e.key.uid.startswith("3m0fq1c4")]

    assert spans(tuple(series)) == [
        ("20260504T063000Z", at(2026, 5, 4, 6, 30), at(2026, 5, 4, 7, 30)),
        ("20260511T063000Z", at(2026, 5, 12, 12, 0), at(2026, 5, 12, 13, 0)),
        ("20260518T063000Z", at(2026, 5, 18, 6, 30), at(2026, 5, 18, 7, 30)),
        ("20260601T063000Z", at(2026, 6, 1, 6, 30), at(2026, 6, 1, 7, 30)),
        ("20260608T063000Z", at(2026, 6, 8, 6, 30), at(2026, 6, 8, 7, 30)),
    ]
    moved = series[1]
    assert moved.summary == "Réunion hebdomadaire de cabinet (décalée)"
    assert moved.description == "Décalée au mardi (commission d'appel d'offres le lundi)."
    assert (moved.sequence, series[0].sequence) == (1, 0)
    assert moved.last_modified == at(2026, 5, 6, 10, 15)


# Outlook / Exchange: Windows zone names, X-MICROSOFT-CDO-*, CLASS:PRIVATE, DURATION


def test_outlook_windows_zone_is_mapped_to_iana() -> None:
    meeting = read("outlook_exchange.ics")[0]

    assert (meeting.start, meeting.end, meeting.timezone) == (
        at(2026, 4, 15, 8, 0),
        at(2026, 4, 15, 9, 30),
        "Europe/Paris",
    )
    assert meeting.summary == "Entretien avec Énergies Nouvelles du Val – parc éolien"
    assert meeting.categories == ("Urbanisme", "Énergie", "Représentants d'intérêts")


def test_outlook_people_keep_their_names_roles_and_answers() -> None:
    meeting = read("outlook_exchange.ics")[0]

    assert meeting.organizer == Person(
        email="sophie.lefevre@bellerive-sur-loire.fr", name="Lefèvre, Sophie"
    )
    assert meeting.attendees == (
        Person(email="sophie.lefevre@bellerive-sur-loire.fr", name="Lefèvre, Sophie"),
        Person(
            email="thomas.girard@bellerive-sur-loire.fr",
            name="Thomas Girard",
            role="REQ-PARTICIPANT",
            status="ACCEPTED",
        ),
        Person(
            email="n.benali@energies-nouvelles-val.example",
            name="Nadia Benali (Énergies Nouvelles du Val)",
            role="OPT-PARTICIPANT",
            status="NEEDS-ACTION",
        ),
    )


def test_outlook_private_meeting_with_a_duration() -> None:
    lunch = read("outlook_exchange.ics")[1]

    assert lunch.summary == "Déjeuner personnel"
    assert lunch.visibility is Visibility.PRIVATE
    assert (lunch.start, lunch.end) == (at(2026, 4, 16, 10, 0), at(2026, 4, 16, 11, 30))


def test_outlook_w_europe_standard_time_is_berlin() -> None:
    twinning = read("outlook_exchange.ics")[2]

    assert (twinning.start, twinning.end, twinning.timezone) == (
        at(2026, 4, 20, 12, 0),
        at(2026, 4, 20, 13, 0),
        "Europe/Berlin",
    )
    assert (twinning.status, twinning.sequence) == (MeetingStatus.TENTATIVE, 1)


def test_outlook_all_day_event() -> None:
    holiday = read("outlook_exchange.ics")[3]

    assert (holiday.start, holiday.end, holiday.all_day) == (
        at(2026, 4, 30, 22, 0),
        at(2026, 5, 1, 22, 0),
        True,
    )


def test_outlook_monthly_series_in_a_windows_zone() -> None:
    committee = read("outlook_exchange.ics")[4:]

    assert spans(committee) == [
        ("20260507T070000Z", at(2026, 5, 7, 7, 0), at(2026, 5, 7, 8, 30)),
        ("20260604T070000Z", at(2026, 6, 4, 7, 0), at(2026, 6, 4, 8, 30)),
        ("20260702T070000Z", at(2026, 7, 2, 7, 0), at(2026, 7, 2, 8, 30)),
    ]
    assert {event.timezone for event in committee} == {"Europe/Paris"}


def test_outlook_customized_time_zone_is_read_from_its_vtimezone() -> None:
    (meeting,) = read("outlook_custom_timezone.ics")

    assert (meeting.start, meeting.end, meeting.timezone) == (
        at(2026, 10, 6, 8, 0),
        at(2026, 10, 6, 9, 30),
        "Europe/Paris",
    )


# Apple iCloud: X-APPLE-*, a multi-day all-day event, RDATE, X-CALENDARSERVER-ACCESS


def test_icloud_multi_day_event_ends_at_midnight_after_its_last_day() -> None:
    (salon,) = read("apple_icloud_multiday.ics")

    assert (salon.start, salon.end, salon.all_day, salon.timezone) == (
        at(2026, 11, 23, 23, 0),
        at(2026, 11, 26, 23, 0),
        True,
        "Europe/Paris",
    )
    assert salon.location == (
        "Paris Expo Porte de Versailles\n1 Place de la Porte de Versailles, 75015 Paris, France"
    )
    assert salon.key == EventKey(uid="8D5E0C8A-6B1F-4C47-9E2A-3F7B1D9C4E05")


def test_icloud_all_day_event_is_placed_in_the_default_zone() -> None:
    (salon,) = read("apple_icloud_multiday.ics", default_timezone="America/Martinique")

    assert (salon.start, salon.end, salon.timezone) == (
        at(2026, 11, 24, 4, 0),
        at(2026, 11, 27, 4, 0),
        "America/Martinique",
    )


def test_icloud_rdate_adds_occurrences_with_the_masters_duration() -> None:
    events = read("apple_icloud_rdate.ics")

    assert spans(events) == [
        ("20260113T170000Z", at(2026, 1, 13, 17, 0), at(2026, 1, 13, 19, 0)),
        ("20260217T170000Z", at(2026, 2, 17, 17, 0), at(2026, 2, 17, 19, 0)),
        ("20260331T163000Z", at(2026, 3, 31, 16, 30), at(2026, 3, 31, 18, 30)),
    ]
    assert events[0].organizer == Person(
        email="helene.marchand@bellerive-sur-loire.fr", name="Hélène Marchand"
    )
    assert events[0].attendees[1] == Person(
        email="etudes@urba-conseil.example",
        name="Cabinet Urba Conseil",
        role="REQ-PARTICIPANT",
        status="NEEDS-ACTION",
    )


def test_icloud_private_event_is_marked_on_the_calendar() -> None:
    (meeting,) = read("apple_icloud_private.ics")

    assert meeting.visibility is Visibility.PRIVATE


# Thunderbird / Lightning: X-MOZ-*, CLASS:CONFIDENTIAL, no DTEND, a vendor-prefixed TZID


def test_thunderbird_export_reads_its_three_events_and_not_its_task() -> None:
    events = read("thunderbird_lightning.ics")

    assert [event.summary for event in events] == [
        "Audition – association Loire Vivante",
        "Appel – Chambre de commerce et d'industrie",
        "Visite du chantier de la médiathèque",
    ]


def test_thunderbird_confidential_event() -> None:
    hearing = read("thunderbird_lightning.ics")[0]

    assert hearing.visibility is Visibility.CONFIDENTIAL
    assert (hearing.start, hearing.end) == (at(2026, 6, 4, 8, 0), at(2026, 6, 4, 9, 0))
    assert hearing.categories == ("Environnement",)
    assert hearing.organizer == Person(
        email="thomas.girard@bellerive-sur-loire.fr",
        name="Thomas Girard",
        role="CHAIR",
        status="ACCEPTED",
    )
    assert hearing.sequence == 1


def test_thunderbird_event_without_dtend_has_no_end() -> None:
    call = read("thunderbird_lightning.ics")[1]

    assert (call.start, call.end, call.timezone) == (at(2026, 6, 5, 14, 30), None, "Europe/Paris")


def test_thunderbird_mozilla_org_tzid_is_the_iana_zone_it_names() -> None:
    visit = read("thunderbird_lightning.ics")[2]

    assert (visit.start, visit.end, visit.timezone) == (
        at(2026, 6, 10, 7, 0),
        at(2026, 6, 10, 8, 30),
        "Europe/Paris",
    )
    assert visit.location == "Chantier de la médiathèque, rue Victor Hugo"


def test_task_list_has_no_occurrences() -> None:
    assert read("tasks_only.ics") == ()

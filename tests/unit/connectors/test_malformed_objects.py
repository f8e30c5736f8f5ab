"""Objects that cannot be read give one clear MalformedObjectError; odd but readable ones are
read."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.delta import Window
from connectors.icalendar_events import MalformedObjectError, events_from_ical
from connectors.remote_event import RemoteEvent

CALENDARS = Path(__file__).parents[2] / "data" / "calendars"
YEAR_2026 = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))


def read(data: str | bytes) -> tuple[RemoteEvent, ...]:
    return events_from_ical(
        data, href="/cal/objet.ics", window=YEAR_2026, default_timezone="Europe/Paris"
    )


def calendar(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *lines])


def event(*lines: str, uid: str = "UID:rencontre@bellerive.example") -> str:
    return calendar("BEGIN:VEVENT", uid, *lines, "END:VEVENT", "END:VCALENDAR")


def refusal(data: str | bytes) -> str:
    with pytest.raises(MalformedObjectError) as refused:
        read(data)
    return str(refused.value)


def test_malformed_error_is_a_value_error() -> None:
    assert issubclass(MalformedObjectError, ValueError)


def test_broken_dtstart_names_the_property_the_event_and_the_parsers_words() -> None:
    message = refusal((CALENDARS / "malformed_dtstart.ics").read_bytes())

    assert message == (
        "DTSTART in VEVENT 'export-2026-0612-001@agenda.bellerive-sur-loire.fr': "
        "Expected datetime, date, or time. Got: '2026-06-12T10:00:00'"
    )


def test_a_web_page_is_not_icalendar() -> None:
    message = refusal((CALENDARS / "not_icalendar.ics").read_bytes())

    assert message == (
        "not valid iCalendar: Content line could not be parsed into parts: "
        "'<!DOCTYPE html>': <!DOCTYPEhtml>"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "no complete VCALENDAR: the text is empty or cut short"),
        ("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\n",
         "expected one VCALENDAR, found VEVENT"),
        ("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
         "expected one VCALENDAR, found VCALENDAR, VCALENDAR"),
    ],
)  # fmt: skip
def test_what_is_not_one_vcalendar(data: str, message: str) -> None:
    assert refusal(data) == message


def test_truncated_object() -> None:
    message = refusal("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T000000Z\r\n")

    assert message == "no complete VCALENDAR: the text is empty or cut short"


def test_event_without_uid() -> None:
    assert refusal(event("DTSTART:20260610T090000Z", uid="SUMMARY:Sans UID")) == (
        "a VEVENT has no UID"
    )


def test_event_with_an_empty_uid() -> None:
    assert refusal(event("DTSTART:20260610T090000Z", uid="UID:")) == "a VEVENT has no UID"


def test_event_with_a_uid_too_long_to_be_a_key() -> None:
    message = refusal(event("DTSTART:20260610T090000Z", uid="UID:" + "x" * 1001))

    assert message == "a VEVENT has a UID longer than 1000 characters"


def test_event_without_dtstart() -> None:
    assert (
        refusal(event("SUMMARY:Quand ?")) == "VEVENT 'rencontre@bellerive.example' has no DTSTART"
    )


def test_event_with_two_dtstarts() -> None:
    message = refusal(event("DTSTART:20260610T090000Z", "DTSTART:20260611T090000Z"))

    assert message == "VEVENT 'rencontre@bellerive.example' has several DTSTART properties"


def test_dtstart_that_is_a_duration() -> None:
    message = refusal(event("DTSTART:PT1H"))

    assert message == (
        "DTSTART of VEVENT 'rencontre@bellerive.example' is a duration, not a date or a date-time"
    )


def test_dtstart_that_is_a_period() -> None:
    message = refusal(event("DTSTART:20260610T090000Z/PT1H"))

    assert message == (
        "DTSTART of VEVENT 'rencontre@bellerive.example' is a period, not a date or a date-time"
    )


def test_a_date_at_the_end_of_time() -> None:
    message = refusal(event("DTSTART;VALUE=DATE:99991231"))

    assert message == "a date or time is out of range: date value out of range"


def test_event_with_both_dtend_and_duration() -> None:
    message = refusal(event("DTSTART:20260610T090000Z", "DTEND:20260610T100000Z", "DURATION:PT1H"))

    assert message == "VEVENT 'rencontre@bellerive.example' has both DTEND and DURATION"


def test_event_ending_before_it_starts() -> None:
    message = refusal(event("DTSTART:20260610T090000Z", "DTEND:20260610T080000Z"))

    assert message.startswith("VEVENT 'rencontre@bellerive.example' ends before it starts")


def test_broken_rrule() -> None:
    message = refusal(event("DTSTART:20260610T090000Z", "RRULE:FREQ=SOMETIMES"))

    assert message == (
        "RRULE in VEVENT 'rencontre@bellerive.example': Expected frequency, got: SOMETIMES"
    )


def test_broken_class_is_refused_rather_than_guessed() -> None:
    message = refusal(event("DTSTART:20260610T090000Z", "CLASS;VALUE=DATE:PRIVATE"))

    assert message.startswith("CLASS in VEVENT 'rencontre@bellerive.example': ")


def test_a_line_that_is_no_content_line_inside_an_event() -> None:
    message = refusal(event("DTSTART:20260610T090000Z", "ceci n'est pas une ligne"))

    assert message.startswith("a line in VEVENT 'rencontre@bellerive.example': ")


def test_broken_vtimezone_of_a_custom_zone() -> None:
    message = refusal(
        calendar(
            "BEGIN:VTIMEZONE",
            "TZID:Heure locale",
            "BEGIN:STANDARD",
            "DTSTART:16011028T030000",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:une heure",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "UID:rencontre@bellerive.example",
            "DTSTART;TZID=Heure locale:20260610T090000",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )

    assert message == "not valid iCalendar: Expected UTC offset, got: une heure"


def test_non_gregorian_calendar() -> None:
    data = calendar(
        "CALSCALE:CHINESE",
        "BEGIN:VEVENT",
        "UID:x@y",
        "DTSTART:20260610T090000Z",
        "END:VEVENT",
        "END:VCALENDAR",
    )

    assert refusal(data) == "only the GREGORIAN calendar scale is supported (§3.7.1)"


# Readable despite oddities


def test_broken_properties_that_are_not_read_do_not_lose_the_meeting() -> None:
    (meeting,) = read(
        event(
            "DTSTART:20260610T090000Z",
            "SUMMARY:Rencontre avec la CCI",
            "GEO:au centre-ville",
            "X-MS-OLK-APPTSEQTIME;VALUE=DATE-TIME:hier",
            "BEGIN:VALARM",
            "TRIGGER:bientôt",
            "ACTION:DISPLAY",
            "END:VALARM",
        )
    )

    assert meeting.summary == "Rencontre avec la CCI"


def test_several_uids_in_one_object_are_read_each_with_its_own_key() -> None:
    events = read(
        calendar(
            "BEGIN:VEVENT",
            "UID:premier@bellerive.example",
            "DTSTART:20260610T090000Z",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:second@bellerive.example",
            "DTSTART:20260611T090000Z",
            "RRULE:FREQ=DAILY;COUNT=2",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )

    assert [(e.key.uid, e.key.recurrence_id) for e in events] == [
        ("premier@bellerive.example", ""),
        ("second@bellerive.example", "20260611T090000Z"),
        ("second@bellerive.example", "20260612T090000Z"),
    ]


def test_windows_1252_text_from_old_outlook_exports_is_read_as_such() -> None:
    data = event("DTSTART:20260610T090000Z", "SUMMARY:Réunion élus – fédération").encode("cp1252")

    (meeting,) = read(data)

    assert meeting.summary == "Réunion élus – fédération"


def test_utf8_with_a_byte_order_mark_and_bare_line_feeds() -> None:
    data = "\ufeff" + event("DTSTART:20260610T090000Z", "SUMMARY:Réunion").replace("\r\n", "\n")

    (meeting,) = read(data.encode())

    assert meeting.summary == "Réunion"


def test_a_calendar_with_only_tasks_and_journals_has_no_occurrences() -> None:
    data = calendar(
        "BEGIN:VTODO",
        "UID:tache@x",
        "DUE:20260610T090000Z",
        "END:VTODO",
        "BEGIN:VJOURNAL",
        "UID:journal@x",
        "DTSTART;VALUE=DATE:20260610",
        "END:VJOURNAL",
        "END:VCALENDAR",
    )

    assert read(data) == ()

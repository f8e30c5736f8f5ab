"""The iCalendar feed, read back by two independent parsers: icalendar (which resolves TZIDs with
its own zone database) and vobject (which uses the feed's VTIMEZONE definitions, as many
calendar apps do)."""

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest
import vobject  # type: ignore[import-untyped]

from feeds.ical import calendar_feed
from register.domain.kinds import LegalGround, MeetingStatus
from register.domain.public_record import PublishedMeeting
from tests.unit.feeds.builders import (
    BASE_URL,
    FEDERATION,
    MEETING_START,
    PUBLISHED_AT,
    corrected,
    many,
    meeting_id,
    published,
    withdrawn,
)


def feed(meetings: Iterable[PublishedMeeting], **overrides: Any) -> bytes:
    arguments: dict[str, Any] = {
        "name": "Rencontres de la Ville de Bellerive",
        "description": "Les rencontres des élus avec des représentants d'intérêts",
        "timezone": "Europe/Paris",
        "base_url": BASE_URL,
    } | overrides
    return calendar_feed(meetings, **arguments)


def prop(component: icalendar.Component, name: str) -> Any:
    """A property's value as icalendar reads it (its type depends on the property)."""
    return component[name]


def parsed(document: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(document)


def events(document: bytes) -> list[icalendar.Event]:
    return list(parsed(document).events)


def only_event(document: bytes) -> icalendar.Event:
    (event,) = events(document)
    return event


def vobject_events(document: bytes) -> list[Any]:
    calendar = vobject.readOne(document.decode("utf-8"))
    return list(getattr(calendar, "vevent_list", []))


def test_the_calendar_says_what_it_is_and_how_often_to_refresh() -> None:
    calendar = parsed(feed([published()], refresh=timedelta(minutes=30)))

    assert str(prop(calendar, "PRODID")).startswith("-//Registre de transparence des agendas//")
    assert str(prop(calendar, "VERSION")) == "2.0"
    assert str(prop(calendar, "CALSCALE")) == "GREGORIAN"
    assert str(prop(calendar, "METHOD")) == "PUBLISH"
    assert str(prop(calendar, "NAME")) == str(prop(calendar, "X-WR-CALNAME"))
    assert str(prop(calendar, "NAME")) == "Rencontres de la Ville de Bellerive"
    assert str(prop(calendar, "DESCRIPTION")) == str(prop(calendar, "X-WR-CALDESC"))
    assert str(prop(calendar, "X-WR-TIMEZONE")) == "Europe/Paris"
    assert prop(calendar, "REFRESH-INTERVAL").params["VALUE"] == "DURATION"
    assert prop(calendar, "REFRESH-INTERVAL").dt == timedelta(minutes=30)
    assert prop(calendar, "X-PUBLISHED-TTL").to_ical() == b"PT30M"


def test_one_event_per_meeting_its_uid_the_meeting_id_in_every_regeneration() -> None:
    meetings = many(3)

    first, again = feed(meetings), feed(list(reversed(meetings)))

    uids = [str(prop(event, "UID")) for event in events(first)]
    assert uids == [str(meeting_id(number)) for number in (1, 2, 3)]
    assert sorted(str(prop(event, "UID")) for event in events(again)) == uids
    assert feed(meetings) == first  # the same register gives the same bytes (and ETag)


def test_the_first_version_is_sequence_zero_stamped_when_it_was_published() -> None:
    event = only_event(feed([published()]))

    assert prop(event, "SEQUENCE") == 0
    assert prop(event, "DTSTAMP").dt == PUBLISHED_AT
    assert prop(event, "LAST-MODIFIED").dt == PUBLISHED_AT
    assert prop(event, "CREATED").dt == PUBLISHED_AT


def test_a_correction_keeps_the_uid_and_raises_sequence_and_last_modified() -> None:
    first = published()
    correction = corrected(first, ends_at=MEETING_START + timedelta(hours=2))

    before, after = only_event(feed([first])), only_event(feed([correction]))

    assert str(prop(after, "UID")) == str(prop(before, "UID"))
    assert prop(after, "SEQUENCE") == 1 > prop(before, "SEQUENCE")
    assert (
        prop(after, "LAST-MODIFIED").dt == correction.recorded_at > prop(before, "LAST-MODIFIED").dt
    )
    assert prop(after, "DTSTAMP").dt == correction.recorded_at
    assert prop(after, "CREATED").dt == prop(before, "CREATED").dt == PUBLISHED_AT
    assert after.end == MEETING_START + timedelta(hours=2)
    assert "Motif de la correction : Horaire de fin rectifié." in str(prop(after, "DESCRIPTION"))


def test_given_several_versions_of_a_meeting_only_the_latest_is_written() -> None:
    first = published()
    second = corrected(first)
    third = corrected(second, reason="Objet précisé.")

    for order in ([first, second, third], [third, first, second]):
        event = only_event(feed(order))
        assert prop(event, "SEQUENCE") == 2


def test_a_withdrawn_version_is_cancelled_with_its_reason_and_ground() -> None:
    event = only_event(
        feed([withdrawn(published(), reason="Erreur de saisie.", ground=LegalGround.PRIVACY)])
    )

    assert str(prop(event, "STATUS")) == "CANCELLED"
    assert prop(event, "SEQUENCE") == 1
    assert "Motif du retrait : Erreur de saisie. (fondement : vie privée d'une personne " in str(
        prop(event, "DESCRIPTION")
    )


def test_a_meeting_its_calendar_cancelled_is_cancelled() -> None:
    event = only_event(feed([published(status=MeetingStatus.CANCELLED)]))

    assert str(prop(event, "STATUS")) == "CANCELLED"
    assert "Rencontre annulée." in str(prop(event, "DESCRIPTION"))


def test_a_published_meeting_is_confirmed_public_and_transparent() -> None:
    event = only_event(feed([published()]))

    assert str(prop(event, "STATUS")) == "CONFIRMED"
    assert str(prop(event, "CLASS")) == "PUBLIC"
    assert str(prop(event, "TRANSP")) == "TRANSPARENT"
    assert str(prop(event, "SUMMARY")) == "Fédération des bâtisseurs du Val — Marie Durand"
    assert str(prop(event, "URL")) == f"{BASE_URL}/rencontres/{meeting_id(1)}"
    assert [str(category) for category in prop(event, "CATEGORIES").cats] == [
        "Urbanisme et aménagement"
    ]


def test_the_description_says_what_was_discussed_and_who_was_present() -> None:
    description = str(prop(only_event(feed([published()])), "DESCRIPTION"))

    assert description.splitlines() == [
        "Objet : Projet de rénovation du quartier de la gare : calendrier des travaux",
        "Domaine : Urbanisme et aménagement",
        "Format : en présentiel",
        "Présents :",
        "– Marie Durand, Maire",
        "– Paul Petit, Adjoint à l'urbanisme",
        "– Directrice de l'urbanisme",
        "– Fédération des bâtisseurs du Val (Jean Martin)",
        f"Version 1 publiée par Ville de Bellerive : {BASE_URL}/rencontres/{meeting_id(1)}",
    ]


def test_the_summary_names_every_organisation() -> None:
    other = FEDERATION.model_copy(update={"name": "Eaux du Val, SA", "people": ()})

    event = only_event(feed([published(representatives=(FEDERATION, other))]))

    assert str(prop(event, "SUMMARY")) == (
        "Fédération des bâtisseurs du Val, Eaux du Val, SA — Marie Durand"
    )


def test_times_are_in_the_meetings_zone_with_its_vtimezone_across_a_dst_change() -> None:
    # Clocks go forward in Paris on Sunday 29 March 2026: 10:00 is 09:00Z before, 08:00Z after.
    winter = published(
        id=meeting_id(1),
        starts_at=datetime(2026, 3, 28, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 28, 10, 0, tzinfo=UTC),
    )
    summer = published(
        id=meeting_id(2),
        starts_at=datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 30, 9, 0, tzinfo=UTC),
    )
    document = feed([winter, summer])

    assert b"DTSTART;TZID=Europe/Paris:20260328T100000" in document
    assert b"DTSTART;TZID=Europe/Paris:20260330T100000" in document
    assert [zone.tz_name for zone in parsed(document).timezones] == ["Europe/Paris"]
    for event, meeting in zip(events(document), (winter, summer), strict=True):
        assert event.start == meeting.record.starts_at
        assert event.end == meeting.record.ends_at
    # vobject reads the offsets from the VTIMEZONE written in the feed.
    for event, meeting in zip(vobject_events(document), (winter, summer), strict=True):
        assert event.dtstart.value.hour == 10
        assert event.dtstart.value == meeting.record.starts_at
        assert event.dtend.value == meeting.record.ends_at


def test_each_zone_used_has_its_vtimezone_and_the_default_zone_always() -> None:
    reunion = published(id=meeting_id(1), timezone="Indian/Reunion")
    noumea = published(id=meeting_id(2), timezone="Pacific/Noumea")

    document = feed([reunion, noumea])

    assert [zone.tz_name for zone in parsed(document).timezones] == [
        "Europe/Paris",
        "Indian/Reunion",
        "Pacific/Noumea",
    ]
    assert b"DTSTART;TZID=Indian/Reunion:20260310T173000" in document
    for event, meeting in zip(vobject_events(document), (reunion, noumea), strict=True):
        assert event.dtstart.value == meeting.record.starts_at


def test_a_meeting_in_utc_is_written_in_utc() -> None:
    document = feed([published(timezone="UTC")])

    assert b"DTSTART:20260310T133000Z" in document
    assert only_event(document).start == MEETING_START


def test_an_all_day_meeting_is_written_as_dates() -> None:
    paris_midnight = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)  # 10 March, 00:00 in Paris
    meeting = published(
        all_day=True, starts_at=paris_midnight, ends_at=paris_midnight + timedelta(days=1)
    )

    document = feed([meeting])

    assert b"DTSTART;VALUE=DATE:20260310" in document
    assert b"DTEND;VALUE=DATE:20260311" in document
    event = only_event(document)
    assert (event.start, event.end) == (date(2026, 3, 10), date(2026, 3, 11))
    (read_back,) = vobject_events(document)
    assert read_back.dtstart.value == date(2026, 3, 10)
    assert read_back.dtend.value == date(2026, 3, 11)


def test_an_all_day_meeting_over_several_days_ends_the_day_after_its_last() -> None:
    paris_midnight = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)
    meeting = published(
        all_day=True,
        starts_at=paris_midnight,
        ends_at=paris_midnight + timedelta(days=2, hours=10),  # ends on 12 March, 10:00
    )

    event = only_event(feed([meeting]))

    assert (event.start, event.end) == (date(2026, 3, 10), date(2026, 3, 13))


def test_an_all_day_meeting_without_end_has_no_dtend() -> None:
    document = feed([published(all_day=True, ends_at=None)])

    event = only_event(document)
    assert "DTEND" not in event
    assert event.start == date(2026, 3, 10)


def test_a_meeting_without_end_has_no_dtend() -> None:
    document = feed([published(ends_at=None)])

    assert b"DTEND" not in document
    assert "DTEND" not in only_event(document)
    (read_back,) = vobject_events(document)
    assert not hasattr(read_back, "dtend")
    assert read_back.dtstart.value == MEETING_START


TRICKY_SUBJECT = (
    "Révision du PLU, secteur « Gare » ; phase 2\n"
    "Deuxième ligne\\avec barre oblique inverse, <script>alert('x')</script> & « ça »"
)


def test_special_characters_are_escaped_and_read_back_unchanged_by_both_parsers() -> None:
    tricky_organisation = FEDERATION.model_copy(update={"name": "Béton; Acier, & Cie"})
    meeting = published(subject=TRICKY_SUBJECT, representatives=(tricky_organisation,))

    document = feed([meeting], name="Agenda; élus, cabinet")

    assert b"\\;" in document
    assert b"\\," in document
    assert b"\\n" in document
    event = only_event(document)
    assert str(prop(event, "DESCRIPTION")).startswith(f"Objet : {TRICKY_SUBJECT}\n")
    assert str(prop(event, "SUMMARY")) == "Béton; Acier, & Cie — Marie Durand"
    assert str(prop(parsed(document), "NAME")) == "Agenda; élus, cabinet"
    (read_back,) = vobject_events(document)
    assert read_back.description.value.startswith(f"Objet : {TRICKY_SUBJECT}\n")
    assert read_back.summary.value == "Béton; Acier, & Cie — Marie Durand"


def test_lines_are_folded_at_75_octets_never_inside_a_character() -> None:
    meeting = published(subject="é" * 200 + "—" * 100 + "\\," * 50)

    document = feed([meeting])

    assert document.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in document.replace(b"\r\n", b"")
    for line in document.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is whole characters
    assert prop(only_event(document), "DESCRIPTION").startswith("Objet : " + "é" * 200)


def test_characters_a_calendar_cannot_carry_are_dropped() -> None:
    event = only_event(feed([published(subject="Objet\x0b avec\x00 contrôles\x1f")]))

    assert str(prop(event, "DESCRIPTION")).startswith("Objet : Objet avec contrôles\n")


def test_an_empty_feed_is_a_valid_calendar() -> None:
    document = feed([])

    calendar = parsed(document)
    calendar.validate()  # type: ignore[no-untyped-call]  # PRODID, VERSION and at least one component: the VTIMEZONE
    assert calendar.events == []
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/Paris"]
    assert vobject_events(document) == []


def test_ten_thousand_meetings_make_one_calendar() -> None:
    meetings = many(10_000)

    document = feed(meetings)

    # Parsing 10 MB with icalendar takes longer than writing them: count, then read the last.
    assert document.count(b"BEGIN:VEVENT\r\n") == 10_000
    uids = re.findall(rb"^UID:(.+)\r$", document, re.MULTILINE)
    assert len(set(uids)) == 10_000
    head, _, last = document.rpartition(b"BEGIN:VEVENT\r\n")
    last_event = only_event(head[: head.index(b"BEGIN:VEVENT")] + b"BEGIN:VEVENT\r\n" + last)
    assert last_event.start == meetings[-1].record.starts_at


def test_an_unknown_zone_or_a_refresh_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        feed([published()], timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="refresh"):
        feed([published()], refresh=timedelta(0))

"""The lines handed to the parser: what the register reads, and whatever the parser must judge."""

from connectors.ical_text import decode, essential_text, line_name, line_value, logical_lines


def test_folded_lines_are_joined() -> None:
    text = "BEGIN:VCALENDAR\r\nSUMMARY:Réunion avec la fédé\r\n ration\r\n\tdes commerçants\r\n"

    assert logical_lines(text) == [
        "BEGIN:VCALENDAR",
        "SUMMARY:Réunion avec la fédérationdes commerçants",
    ]


def test_names_and_values() -> None:
    line = 'ATTENDEE;CN="Roche: Julien";ROLE=CHAIR:mailto:julien@x.example'

    assert (line_name(line), line_value(line)) == ("ATTENDEE", "mailto:julien@x.example")
    assert line_name("dtstart;tzid=Europe/Paris:20260610T090000") == "DTSTART"
    assert line_name("<!DOCTYPE html>") is None


def test_only_what_is_read_reaches_the_parser() -> None:
    text = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
            "X-WR-CALNAME:Calendrier",
            "X-WR-TIMEZONE:Europe/Paris",
            "BEGIN:VTIMEZONE",
            "TZID:Romance Standard Time",
            "BEGIN:STANDARD",
            "TZOFFSETTO:+0100",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VTIMEZONE",
            "TZID:Customized Time Zone",
            "BEGIN:STANDARD",
            "TZOFFSETTO:+0100",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "UID:a@x",
            "DTSTART;TZID=Romance Standard Time:20260610T090000",
            "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
            "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
            "CLASS:PRIVATE",
            "ligne sans deux-points",
            "BEGIN:VALARM",
            "TRIGGER:-PT15M",
            "END:VALARM",
            "END:VEVENT",
            "BEGIN:VTODO",
            "UID:t@x",
            "END:VTODO",
            "END:VCALENDAR",
        ]
    )

    assert essential_text(text).split("\r\n") == [
        "BEGIN:VCALENDAR",
        "X-WR-TIMEZONE:Europe/Paris",
        "BEGIN:VTIMEZONE",
        "TZID:Customized Time Zone",
        "BEGIN:STANDARD",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:a@x",
        "DTSTART;TZID=Romance Standard Time:20260610T090000",
        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
        "CLASS:PRIVATE",
        "ligne sans deux-points",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_vendor_prefixed_zones_keep_their_vtimezone() -> None:
    zone = ["BEGIN:VTIMEZONE", "TZID:/mozilla.org/20050126_1/Europe/Paris", "END:VTIMEZONE"]

    assert essential_text("\r\n".join(["BEGIN:VCALENDAR", *zone, "END:VCALENDAR"])).split(
        "\r\n"
    ) == ["BEGIN:VCALENDAR", *zone, "END:VCALENDAR", ""]


def test_decoding() -> None:
    assert decode("\ufeffBEGIN:VCALENDAR") == "BEGIN:VCALENDAR"
    assert decode("\ufeffRéunion".encode()) == "Réunion"
    assert decode("Réunion – élus".encode("cp1252")) == "Réunion – élus"

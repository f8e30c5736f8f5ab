"""The streamed reading of REPORT answers, on the bodies a misbehaving server sends: an object
past the size limit, an answer that is XML but no multistatus. Pure: no server."""

from collections.abc import Iterator

import pytest

from connectors.caldav_report import (
    Body,
    NotMultistatusError,
    ObjectTooLargeError,
    read_multistatus,
)

OPEN = (
    b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
)


def response(href: str, data: bytes) -> bytes:
    return (
        b"<D:response><D:href>" + href.encode() + b"</D:href><D:propstat><D:prop>"
        b'<D:getetag>"1"</D:getetag><C:calendar-data>' + data + b"</C:calendar-data>"
        b"</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    )


def chunks(*parts: bytes, size: int = 1024) -> Iterator[bytes]:
    data = b"".join(parts)
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_an_object_past_the_limit_stops_the_reading_and_names_its_href() -> None:
    read: list[Body] = []
    body = chunks(
        OPEN,
        response("/cal/small.ics", b"BEGIN:VCALENDAR"),
        response("/cal/big%20one.ics", b"A" * 50_000),
        response("/cal/after.ics", b"BEGIN:VCALENDAR"),
        b"</D:multistatus>",
    )

    with pytest.raises(ObjectTooLargeError) as large:
        read.extend(read_multistatus(body, max_object_bytes=10_000))

    assert large.value.href == "/cal/big one.ics"
    assert [found.href for found in read] == ["/cal/small.ics"]


def test_objects_under_the_limit_are_all_read() -> None:
    body = chunks(
        OPEN,
        *(response(f"/cal/{n}.ics", b"B" * 5_000) for n in range(10)),
        b"</D:multistatus>",
    )

    assert len(list(read_multistatus(body, max_object_bytes=10_000))) == 10


def test_xml_that_is_no_multistatus_is_refused_not_read_as_empty() -> None:
    page = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'

    with pytest.raises(NotMultistatusError):
        list(read_multistatus(chunks(page)))


def test_an_empty_multistatus_is_an_empty_calendar() -> None:
    assert list(read_multistatus(chunks(OPEN, b"</D:multistatus>"))) == []

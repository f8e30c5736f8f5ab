"""The REPORTs that bring objects' texts, and their multistatus answers read as they arrive."""

from collections.abc import Iterator

import pytest

from connectors.caldav_report import EVENTS_QUERY, Body, multiget_body, read_multistatus

EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:rdv-ffb@ville-bellerive.fr\r\n"
    "DTSTART:20270112T090000Z\r\nSUMMARY:Rencontre avec la FFB &amp; la CAPEB\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)

MULTISTATUS = f"""<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:response>
    <D:href>/marie.dupont/agenda/rdv-ffb%40ville-bellerive.fr.ics</D:href>
    <D:propstat>
      <D:prop><D:getetag> "5c1f-1" </D:getetag><C:calendar-data>{EVENT}</C:calendar-data></D:prop>
      <D:status>HTTP/1.1 200 OK</D:status>
    </D:propstat>
  </D:response>
  <D:response>
    <D:href>http://127.0.0.1:5232/marie.dupont/agenda/veolia.ics</D:href>
    <D:propstat>
      <D:prop><D:getetag>"5c1f-2"</D:getetag></D:prop>
      <D:status>HTTP/1.1 200 OK</D:status>
    </D:propstat>
    <D:propstat>
      <D:prop><C:calendar-data/></D:prop>
      <D:status>HTTP/1.1 403 Forbidden</D:status>
    </D:propstat>
  </D:response>
  <D:response>
    <D:href>/marie.dupont/agenda/parti.ics</D:href>
    <D:status>HTTP/1.1 404 Not Found</D:status>
  </D:response>
  <D:response><D:status>HTTP/1.1 200 OK</D:status></D:response>
</D:multistatus>
""".encode()


def pieces(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize("size", [7, 4096, 1 << 20])
def test_each_response_becomes_an_object_whatever_the_chunks(size: int) -> None:
    found = list(read_multistatus(pieces(MULTISTATUS, size)))

    assert found == [
        Body(
            "/marie.dupont/agenda/rdv-ffb@ville-bellerive.fr.ics",
            '"5c1f-1"',
            EVENT.replace("&amp;", "&").replace("\r\n", "\n"),
        ),
        Body("/marie.dupont/agenda/veolia.ics", '"5c1f-2"', None),  # data refused: no text
        Body("/marie.dupont/agenda/parti.ics", None, None),  # gone since it was listed
    ]


def test_carriage_returns_escaped_by_the_server_are_kept() -> None:
    answer = (
        b'<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:response>'
        b"<D:href>/a/b.ics</D:href><D:propstat><D:prop><C:calendar-data>"
        b"BEGIN:VCALENDAR&#13;\nEND:VCALENDAR&#13;\n</C:calendar-data></D:prop>"
        b"<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )

    [body] = read_multistatus([answer])

    assert body.data == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


def test_an_answer_that_is_not_xml_raises_a_syntax_error() -> None:
    with pytest.raises(SyntaxError):
        list(read_multistatus([b"<html><body>Bad gateway</body>"]))


def test_an_answer_cut_short_raises_a_syntax_error() -> None:
    with pytest.raises(SyntaxError):
        list(read_multistatus([MULTISTATUS[: len(MULTISTATUS) // 2]]))


def test_entities_are_not_resolved() -> None:
    """No entity expansion (a "billion laughs" answer) and no external entity is fetched."""
    answer = (
        b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:response>'
        b"<D:href>/a/b.ics</D:href><D:propstat><D:prop><C:calendar-data>&x;</C:calendar-data>"
        b"</D:prop></D:propstat></D:response></D:multistatus>"
    )

    [body] = read_multistatus([answer])

    assert body.data is None or "root:" not in body.data


def test_the_calendar_query_asks_only_for_etags_and_texts_of_events() -> None:
    """Not C:schedule-tag, which Xandikos computes by parsing every object."""
    query = EVENTS_QUERY.decode()

    assert "<D:prop><D:getetag/><C:calendar-data/></D:prop>" in query
    assert "schedule-tag" not in query
    assert '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/>' in query


def test_a_multiget_names_each_object_by_its_encoded_path() -> None:
    body = multiget_body(["/marie.dupont/agenda/rdv@ville.fr.ics", "/marie.dupont/a b.ics"])

    assert b"<D:href>/marie.dupont/agenda/rdv%40ville.fr.ics</D:href>" in body
    assert b"<D:href>/marie.dupont/a%20b.ics</D:href>" in body
    assert b"calendar-multiget" in body
    assert b"schedule-tag" not in body

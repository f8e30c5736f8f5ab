"""The REPORTs that bring calendar objects' texts (RFC 4791 §7.8 calendar-query, §7.9
calendar-multiget), asking only for what a sync reads, and their multistatus answers read as
they arrive.

caldav's `Calendar.search` and `multiget` also ask for `C:schedule-tag` (RFC 6638 §3.2.10),
which Xandikos computes by parsing every object (about 10 s for 5,000), and build a caldav object
per event (about 2 s of CPU for 5,000) that a sync reads once and drops. Here the answer is
parsed incrementally (lxml's pull parser, fed as the body arrives), each `response` dropped once
read: memory holds the texts, not an XML tree of them.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from lxml import etree  # type: ignore[import-untyped]

from connectors.caldav_propfind import CALDAV, DAV, status_ok
from connectors.caldav_state import normalise_href

_PROP = "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
_NAMESPACES = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"'

EVENTS_QUERY = (
    f'<?xml version="1.0" encoding="utf-8"?><C:calendar-query {_NAMESPACES}>{_PROP}'
    '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>'
    "</C:filter></C:calendar-query>"
).encode()
"""Every object holding a VEVENT, with its ETag and text (RFC 4791 §7.8.1, Depth 1)."""


def multiget_body(hrefs: Iterable[str]) -> bytes:
    """A calendar-multiget of the objects at `hrefs` (decoded paths, as `normalise_href`
    gives them), with their ETags and texts (RFC 4791 §7.9)."""
    wanted = "".join(f"<D:href>{quote(href)}</D:href>" for href in hrefs)
    return (
        f'<?xml version="1.0" encoding="utf-8"?><C:calendar-multiget {_NAMESPACES}>'
        f"{_PROP}{wanted}</C:calendar-multiget>"
    ).encode()


MAX_OBJECT_BYTES = 8 * 1024 * 1024
"""The largest calendar object read (its `response` in the XML answer): an event with a few
attachments inline is well below; a larger one is refused alone, the others read. Below
libxml2's own 10,000,000-byte limit on a text node, so that this limit, and its message,
comes first."""


@dataclass(frozen=True)
class Body:
    """An object's text; None when the server no longer has it (404 in a multiget) or sent
    none. `refused` says why an object was not read (too large): it is reported failed, not
    gone."""

    href: str
    etag: str | None
    data: str | bytes | None
    refused: str | None = None


class NotMultistatusError(SyntaxError):
    """A 2xx answer to a PROPFIND or REPORT that is not a WebDAV multistatus (RFC 4918 §13):
    a log-in page of a gateway, an error page served with 200. Read as "no objects", it would
    cancel every meeting of the calendar."""


class ObjectTooLargeError(Exception):
    """A `response` of the answer grew past MAX_OBJECT_BYTES: reading stopped there. `href`
    is the object's, when the answer named it before its data (as servers do)."""

    def __init__(self, href: str | None) -> None:
        super().__init__(href)
        self.href = href


def too_large(href: str) -> str:
    """Why an object was refused, for staff."""
    return (
        f"the calendar object is larger than {MAX_OBJECT_BYTES // (1024 * 1024)} MB, the limit "
        "for one event (large attachments inline?): it was not read; shrink it in the calendar"
    )


def read_multistatus(
    chunks: Iterable[bytes], *, max_object_bytes: int = MAX_OBJECT_BYTES
) -> Iterator[Body]:
    """The objects of a multistatus answer (RFC 4918 §13), one per `response`, as `chunks` of
    its body arrive. A body that is not well-formed XML raises lxml's XMLSyntaxError (a
    SyntaxError) once the fault is reached; one that is XML but not a multistatus raises
    NotMultistatusError; a `response` larger than `max_object_bytes` raises
    ObjectTooLargeError once that many bytes of it have arrived (memory stays bounded)."""
    reader = _Reader()
    for chunk in chunks:
        reader.parser.feed(chunk)
        reader.pending += len(chunk)
        yield from reader.read()
        if reader.pending > max_object_bytes:
            raise ObjectTooLargeError(reader.href)
    reader.parser.close()
    yield from reader.read()
    if not reader.multistatus:
        raise NotMultistatusError("the answer is XML but not a WebDAV multistatus (RFC 4918 §13)")


class _Reader:
    """The pull parser's state: whether the root was a multistatus, the href of the
    `response` being read, and how many bytes arrived since the last one ended."""

    def __init__(self) -> None:
        self.parser = etree.XMLPullParser(
            events=("start", "end"),
            tag=(f"{DAV}multistatus", f"{DAV}response", f"{DAV}href"),
            resolve_entities=False,
            no_network=True,
        )
        self.multistatus = False
        self.href: str | None = None
        self.pending = 0

    def read(self) -> Iterator[Body]:
        for event, element in self.parser.read_events():
            if event == "start":
                if element.tag == f"{DAV}multistatus" and element.getparent() is None:
                    self.multistatus = True
                continue
            if element.tag == f"{DAV}href":
                parent = element.getparent()
                if parent is not None and parent.tag == f"{DAV}response" and element.text:
                    self.href = normalise_href(element.text.strip())
                continue
            if element.tag != f"{DAV}response":
                continue
            body = body_of(element)
            self.href, self.pending = None, 0
            # Forget what was read: the tree never holds more than the response being read.
            element.clear()
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
            if body is not None:
                yield body


def body_of(response: Any) -> Body | None:
    """One `response` element: its href, ETag and calendar data; no data when its own status
    is not a success (a member gone since it was listed), or when the server showed no
    calendar data (RFC 4918 §9.1.2: a property it refused). None without an href."""
    href = response.findtext(f"{DAV}href")
    if not href or not href.strip():
        return None
    path = normalise_href(href.strip())
    if not status_ok(response.findtext(f"{DAV}status")):
        return Body(path, None, None)
    etag: str | None = None
    data: str | None = None
    for propstat in response.iterfind(f"{DAV}propstat"):
        if not status_ok(propstat.findtext(f"{DAV}status")):
            continue
        for prop in propstat.iterfind(f"{DAV}prop"):
            etag = etag or _stripped(prop.findtext(f"{DAV}getetag"))
            text = prop.findtext(f"{CALDAV}calendar-data")
            data = text if text else data
    return Body(path, etag, data)


def _stripped(value: str | None) -> str | None:
    """Stripped as in `caldav_propfind`, so that the ETag of an object compares equal whichever
    answer it came in."""
    return value.strip() if value and value.strip() else None

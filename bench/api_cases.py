"""The API benchmark's cases: for each, our request, Datasette's request for the same rows, and
the bare SQL that returns the same rows (and total) through the driver the application uses.

Sample values (an authority, an official, an organisation, a word…) are read from the register
itself before timing, so that every filter matches real rows; the busiest authority, official,
organisation and policy area are taken, the worst cases for a page sorted by date.
"""

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
PAGE = 100
CSV_ROWS = 100_000


@dataclass(frozen=True)
class Bare:
    """SQL statements (SQLite placeholders, `?`) run one after the other, with their
    parameters; all their rows are fetched."""

    statements: tuple[tuple[str, tuple[object, ...]], ...]


@dataclass(frozen=True)
class Case:
    name: str
    ours: str
    """Path and query string of our API."""
    bare: Bare
    datasette: str | None
    """Path and query of Datasette's answer with the same rows (None: it has no equivalent)."""
    goal_bare: float | None = None
    """Ours / bare SQL must be at most this (median)."""
    goal_datasette: bool = True
    """Ours must be at least as fast as Datasette, at p50 and p95."""
    heavy: bool = False
    """Few runs (a 100,000-row export)."""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Samples:
    """Values of the register that the filters use."""

    authority: str
    official: str
    organisation: str
    policy_area: str
    meeting: str
    word: str
    words: str
    month: tuple[date, date]
    csv_since: date
    csv_until: date
    csv_rows: int
    full_text: bool
    """The register has its FTS5 index (`public_meeting_fts`)."""


def _day_start(day: date) -> str:
    """A Paris day's first instant as stored in SQLite by Piccolo (UTC, ISO with a space)."""
    moment = datetime.combine(day, time(0), tzinfo=PARIS).astimezone(ZoneInfo("UTC"))
    return str(moment)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _top(db: sqlite3.Connection, column: str) -> str:
    row = db.execute(
        f"SELECT {column}, COUNT(*) AS n FROM public_meeting GROUP BY {column} "  # noqa: S608
        "ORDER BY n DESC LIMIT 1"
    ).fetchone()
    return str(row[0])


def pick_samples(path: Path) -> Samples:
    """The busiest authority, official, organisation and policy area; a corrected meeting; a
    word found in about 2 % of the meetings, and two words of one subject; the last full month;
    the period of the most recent ~100,000 meetings for the CSV export."""
    db = _connect(path)
    try:
        organisation = db.execute(
            "SELECT organisation, COUNT(*) AS n FROM public_meeting_organisation "
            "GROUP BY organisation ORDER BY n DESC LIMIT 1"
        ).fetchone()[0]
        meeting = db.execute(
            "SELECT id FROM public_meeting WHERE version > 1 ORDER BY log_seq DESC LIMIT 1"
        ).fetchone()[0]
        texts = [row[0] for row in db.execute("SELECT search_text FROM public_meeting LIMIT 4000")]
        counts = Counter(word for text in texts for word in set(text.split()) if len(word) >= 5)
        word = min(counts, key=lambda w: (abs(counts[w] / len(texts) - 0.02), w))
        subject = next(text.split() for text in texts if word in text.split())
        other = next(w for w in subject if len(w) >= 5 and w != word)
        last = date.fromisoformat(
            db.execute("SELECT MAX(starts_at) FROM public_meeting").fetchone()[0][:10]
        )
        month_end = last.replace(day=1) - timedelta(days=1)
        offset = db.execute("SELECT COUNT(*) FROM public_meeting").fetchone()[0]
        rows = min(CSV_ROWS, offset)
        since_stamp = db.execute(
            "SELECT starts_at FROM public_meeting ORDER BY starts_at DESC LIMIT 1 OFFSET ?",
            (rows - 1,),
        ).fetchone()[0]
        csv_since = datetime.fromisoformat(since_stamp).astimezone(PARIS).date()
        csv_rows = db.execute(
            "SELECT COUNT(*) FROM public_meeting WHERE starts_at >= ?", (_day_start(csv_since),)
        ).fetchone()[0]
        return Samples(
            authority=_top(db, "authority"),
            official=_top(db, "official"),
            organisation=str(organisation),
            policy_area=_top(db, "policy_area"),
            meeting=str(meeting),
            word=word,
            words=f"{word} {other}",
            month=(month_end.replace(day=1), month_end),
            csv_since=csv_since,
            csv_until=last + timedelta(days=1),
            csv_rows=csv_rows,
            full_text=db.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'public_meeting_fts'"
            ).fetchone()[0]
            == 1,
        )
    finally:
        db.close()


_ORDER = " ORDER BY starts_at DESC, id DESC"


def _page(where: str, params: tuple[object, ...]) -> Bare:
    """A page of 100 (and one more, to know whether another page follows) and the total."""
    clause = f" WHERE {where}" if where else ""
    return Bare(
        (
            (f"SELECT * FROM public_meeting{clause}{_ORDER} LIMIT {PAGE + 1}", params),  # noqa: S608
            (f"SELECT COUNT(*) FROM public_meeting{clause}", params),  # noqa: S608
        )
    )


def _ours(path: str, **query: str) -> str:
    return f"/api/v1/{path}?{urlencode(query)}" if query else f"/api/v1/{path}"


def _datasette(table: str, fmt: str = "json", **query: str) -> str:
    return f"/register/{table}.{fmt}?{urlencode(query)}"


def _words(words: str, full_text: bool) -> tuple[str, tuple[object, ...], dict[str, str]]:
    """The bare condition and Datasette's parameters for "every word starts a word": a prefix
    query of the FTS5 index when there is one (Datasette searches it with `_search`), else
    `LIKE '% word%'` (with `_where`)."""
    parts = words.split()
    if full_text:
        match = " ".join(f'"{w}"*' for w in parts)
        return (
            "rowid IN (SELECT rowid FROM public_meeting_fts WHERE public_meeting_fts MATCH ?)",
            (match,),
            # Datasette finds an FTS table by `content="table"` or `content=[table]` in its
            # SQL; ours says `content='public_meeting'`, so it is named here.
            {
                "_search": match,
                "_searchmode": "raw",
                "_fts_table": "public_meeting_fts",
                "_fts_pk": "rowid",
            },
        )
    return (
        " AND ".join("search_text LIKE ?" for _ in parts),
        tuple(f"% {w}%" for w in parts),
        {"_where": " AND ".join(f"search_text LIKE '% {w}%'" for w in parts)},
    )


def list_cases(s: Samples) -> list[Case]:
    """A page of 100 meetings, newest first, unfiltered and with each filter of the API."""
    since, until = (_day_start(s.month[0]), _day_start(s.month[1] + timedelta(days=1)))
    organisation_where = (
        "id IN (SELECT meeting FROM public_meeting_organisation WHERE organisation = ?)"
    )
    filters: list[tuple[str, dict[str, str], str, tuple[object, ...], dict[str, str]]] = [
        ("list: no filter", {}, "", (), {}),
        (
            "list: authority",
            {"authority": s.authority},
            "authority = ?",
            (s.authority,),
            {"authority": s.authority},
        ),
        (
            "list: official",
            {"official": s.official},
            "official = ?",
            (s.official,),
            {"official": s.official},
        ),
        (
            "list: organisation",
            {"organisation": s.organisation},
            organisation_where,
            (s.organisation,),
            {"_where": organisation_where.replace("?", f"'{s.organisation}'")},
        ),
        (
            "list: policy_area",
            {"policy_area": s.policy_area},
            "policy_area = ?",
            (s.policy_area,),
            {"policy_area": s.policy_area},
        ),
        ("list: format=video", {"format": "video"}, "format = ?", ("video",), {"format": "video"}),
        (
            "list: since+until (a month)",
            {"since": s.month[0].isoformat(), "until": s.month[1].isoformat()},
            "starts_at >= ? AND starts_at < ?",
            (since, until),
            {"starts_at__gte": since, "starts_at__lt": until},
        ),
        (
            "list: hatvp_registered=true",
            {"hatvp_registered": "true"},
            "hatvp_registered = ?",
            (1,),
            {"hatvp_registered": "1"},
        ),
        (
            "list: state=corrected",
            {"state": "corrected"},
            "state = ?",
            ("corrected",),
            {"state": "corrected"},
        ),
    ]
    cases = [
        Case(
            name=name,
            ours=_ours("meetings", limit=str(PAGE), **ours),
            bare=_page(where, params),
            datasette=_datasette(
                "public_meeting", _sort_desc="starts_at", _size=str(PAGE), **datasette
            ),
            goal_bare=2.0,
        )
        for name, ours, where, params, datasette in filters
    ]
    for label, words in (("one word", s.word), ("two words", s.words)):
        where, params, datasette_words = _words(words, s.full_text)
        cases.append(
            Case(
                name=f"search q ({label})",
                ours=_ours("meetings", limit=str(PAGE), q=words),
                bare=_page(where, params),
                datasette=_datasette(
                    "public_meeting", _sort_desc="starts_at", _size=str(PAGE), **datasette_words
                ),
                goal_bare=2.0,
            )
        )
    return cases


def other_cases(s: Samples) -> list[Case]:
    """One meeting, statistics, and the CSV export of ~100,000 meetings."""
    since = _day_start(s.csv_since)
    until = _day_start(s.csv_until + timedelta(days=1))
    return [
        Case(
            name="one meeting (with versions)",
            ours=_ours(f"meetings/{s.meeting}"),
            bare=Bare(
                (
                    ("SELECT * FROM public_meeting WHERE id = ?", (s.meeting,)),
                    (
                        "SELECT seq, recorded_at, body FROM publication_entry WHERE meeting = ? "
                        "ORDER BY seq",
                        (s.meeting,),
                    ),
                )
            ),
            datasette=f"/register/public_meeting/{s.meeting}.json",
            notes=["Datasette answers the current row only, without the versions"],
        ),
        Case(
            name="statistics: whole register",
            ours=_ours("statistics"),
            bare=statistics_sql("", ()),
            datasette=None,
        ),
        Case(
            name="statistics: authority",
            ours=_ours("statistics", authority=s.authority),
            bare=statistics_sql("authority = ?", (s.authority,)),
            datasette=None,
        ),
        Case(
            name=f"CSV export ({s.csv_rows:,} rows)",
            ours=_ours(
                "meetings",
                format="csv",
                since=s.csv_since.isoformat(),
                until=s.csv_until.isoformat(),
            ),
            bare=Bare(
                (
                    (
                        "SELECT * FROM public_meeting WHERE starts_at >= ? AND starts_at < ?"  # noqa: S608
                        + _ORDER,
                        (since, until),
                    ),
                )
            ),
            datasette=_datasette(
                "public_meeting",
                "csv",
                _sort_desc="starts_at",
                _stream="on",
                _size="max",
                starts_at__gte=since,
                starts_at__lt=until,
            ),
            heavy=True,
        ),
    ]


def statistics_sql(where: str, params: tuple[object, ...]) -> Bare:
    """The fewest SQL statements giving the figures of `/statistics`: counts, distinct
    organisations and officials, meetings per UTC hour (each hour lies in one Paris month),
    the top organisations, policy areas and officials, and the publication delays' bands and
    median."""
    standing = "state != 'withdrawn'" + (f" AND {where}" if where else "")
    ids = f"SELECT id FROM public_meeting WHERE {standing}"  # noqa: S608
    delay = "julianday(first_published_at) - julianday(COALESCE(ends_at, starts_at))"
    statements: list[tuple[str, tuple[object, ...]]] = [
        (
            "SELECT COUNT(*), COUNT(DISTINCT official), SUM(hatvp_registered) "  # noqa: S608
            f"FROM public_meeting WHERE {standing}",
            params,
        ),
        (
            "SELECT COUNT(DISTINCT organisation) FROM public_meeting_organisation "  # noqa: S608
            f"WHERE meeting IN ({ids})",
            params,
        ),
        (
            "SELECT substr(starts_at, 1, 13) AS hour, COUNT(*) FROM public_meeting "  # noqa: S608
            f"WHERE {standing} GROUP BY hour",
            params,
        ),
        (
            "SELECT organisation, name, hatvp_registered, COUNT(*) AS n "  # noqa: S608
            f"FROM public_meeting_organisation WHERE meeting IN ({ids}) "
            "GROUP BY organisation, name, hatvp_registered ORDER BY n DESC LIMIT 10",
            params,
        ),
        (
            "SELECT policy_area, COUNT(*) AS n FROM public_meeting "  # noqa: S608
            f"WHERE {standing} GROUP BY policy_area ORDER BY n DESC",
            params,
        ),
        (
            "SELECT official, COUNT(*) AS n, MAX(log_seq) FROM public_meeting "  # noqa: S608
            f"WHERE {standing} GROUP BY official ORDER BY n DESC LIMIT 10",
            params,
        ),
        (
            f"SELECT SUM({delay} <= 1), SUM({delay} > 1 AND {delay} <= 7), "  # noqa: S608
            f"SUM({delay} > 7 AND {delay} <= 15), SUM({delay} > 15 AND {delay} <= 30), "
            f"SUM({delay} > 30) FROM public_meeting WHERE {standing}",
            params,
        ),
        (
            f"SELECT {delay} AS d FROM public_meeting WHERE {standing} "  # noqa: S608
            f"ORDER BY d LIMIT 2 OFFSET (SELECT (COUNT(*) - 1) / 2 FROM public_meeting "
            f"WHERE {standing})",
            params + params,
        ),
    ]
    return Bare(tuple(statements))

"""The mix of requests of the load benchmark: public pages, API calls and feeds, in proportions
a public register could see (half pages, a third API, the rest feeds), on real ids and words
taken from the register itself through its API.
"""

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import cycle
from typing import Any
from urllib.parse import quote

import httpx

PAGES, API, FEEDS = "pages", "api", "feeds"


@dataclass(frozen=True)
class Sample:
    """Ids and words of the register, from its latest published meetings."""

    meetings: list[str]
    officials: list[str]
    organisations: list[str]
    authorities: list[tuple[str, str]]
    """(id, slug)"""
    words: list[str]
    policy_area: str
    last_seq: int
    """The publication log's latest entry among the sample."""


def sample_register(url: str) -> Sample:
    items: list[dict[str, Any]] = (
        httpx.get(f"{url}/api/v1/meetings", params={"limit": 200}, timeout=300)
        .raise_for_status()
        .json()["items"]
    )
    if not items:
        raise RuntimeError("the register has no published meeting to load")
    records = [item["record"] for item in items]
    words = sorted(
        {
            word.lower()
            for record in records
            for word in re.findall(r"\w{7,}", record["subject"])
            if not word.isdigit()
        }
    )
    areas = [record["policy_area"]["code"] for record in records if record["policy_area"]]
    return Sample(
        meetings=list(dict.fromkeys(record["id"] for record in records)),
        officials=list(dict.fromkeys(record["official"]["id"] for record in records)),
        organisations=list(
            dict.fromkeys(rep["id"] for record in records for rep in record["representatives"])
        ),
        authorities=list(
            dict.fromkeys(
                (record["authority"]["id"], record["authority"]["slug"]) for record in records
            )
        ),
        words=words or ["rencontre"],
        policy_area=max(set(areas), key=areas.count) if areas else "urbanisme",
        last_seq=max(item["log_seq"] for item in items),
    )


def mix(sample: Sample, seed: int = 2026) -> dict[str, list[str]]:
    """100 paths of each kind's share (pages 50, API 35, feeds 15), ids drawn in turn."""
    rng = random.Random(seed)
    meeting = cycle(rng.sample(sample.meetings, len(sample.meetings)))
    official = cycle(rng.sample(sample.officials, len(sample.officials)))
    organisation = cycle(rng.sample(sample.organisations, len(sample.organisations)))
    authority = cycle(sample.authorities)
    word = cycle(rng.sample(sample.words, len(sample.words)))

    def times(count: int, make: Iterator[str] | str) -> list[str]:
        return [make if isinstance(make, str) else next(make) for _ in range(count)]

    def paths(template: str, values: Iterator[str]) -> Iterator[str]:
        return (template.format(quote(value)) for value in values)

    return {
        PAGES: [
            *times(6, "/"),
            *times(6, "/rencontres"),
            *times(5, paths("/rencontres?q={}", word)),
            *times(3, paths("/rencontres?authority={}", (a for a, _ in authority))),
            *times(12, paths("/rencontres/{}", meeting)),
            *times(6, paths("/responsables/{}", official)),
            *times(5, paths("/organisations/{}", organisation)),
            *times(3, paths("/collectivites/{}", (slug for _, slug in authority))),
            *times(1, "/statistiques"),
            *times(2, "/en/rencontres"),
            *times(1, paths("/en/rencontres/{}", meeting)),
        ],
        API: [
            *times(5, "/api/v1/meetings"),
            *times(4, paths("/api/v1/meetings?q={}", word)),
            *times(4, paths("/api/v1/meetings?official={}", official)),
            *times(3, f"/api/v1/meetings?policy_area={sample.policy_area}&since=2025-01-01"),
            *times(10, paths("/api/v1/meetings/{}", meeting)),
            *times(2, "/api/v1/organisations"),
            *times(2, paths("/api/v1/organisations/{}", organisation)),
            *times(1, "/api/v1/authorities"),
            *times(2, "/api/v1/statistics"),
            # A copy of the log kept up to date: the latest entries (the whole log is a
            # download of its own, gigabytes on a large register).
            *times(2, f"/api/v1/log?after={max(sample.last_seq - 20, 0)}"),
        ],
        FEEDS: [
            *times(4, "/feeds/rencontres.rss"),
            *times(2, "/feeds/rencontres.atom"),
            *times(3, paths("/feeds/rencontres.rss?official={}", official)),
            *times(4, paths("/feeds/rencontres.ics?official={}", official)),
            *times(2, "/feeds/rencontres.ics"),
        ],
    }


def shuffled(paths: list[str], seed: int = 2026) -> list[str]:
    order = list(paths)
    random.Random(seed).shuffle(order)
    return order

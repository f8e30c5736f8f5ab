"""`register classify FILE.ics`: the classifier's verdict on every occurrence of a calendar file,
as one JSON object per line, without storing anything (staff try rules with it)."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from connectors.delta import Window
from connectors.icalendar_events import MalformedObjectError, events_from_ical
from connectors.ics_feed import split_feed
from register.cli import _configure, _fail, _open_database, _run, database_options
from register.services.calendar_events import calendar_data


def _window(start: datetime | None, end: datetime | None) -> Window:
    now = datetime.now(UTC)
    begin = start.replace(tzinfo=UTC) if start else now - timedelta(days=365)
    finish = end.replace(tzinfo=UTC) if end else now + timedelta(days=365)
    if finish <= begin:
        raise click.UsageError("--to must come after --from")
    return Window(start=begin, end=finish)


@click.command()
@database_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--authority", metavar="SLUG", help="Whose directory and keywords to use.")
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: a year ago)."
)
@click.option(
    "--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: in a year)."
)
def classify(
    data_dir: Path | None,
    database_url: str | None,
    file: Path,
    authority: str | None,
    start: datetime | None,
    end: datetime | None,
) -> None:
    """Classify the events of FILE (an .ics calendar or feed) against the directory, printing
    one JSON object per occurrence. Nothing is stored."""
    from register.services.classification import classifier_for
    from register.store.repositories.authorities import get_authority_by_slug, list_authorities
    from register.store.repositories.representatives import representatives_by_id

    settings = _configure(data_dir, database_url)
    window = _window(start, end)
    try:
        objects = split_feed(file.read_bytes())
    except MalformedObjectError as error:
        _fail(f"{file} is not an iCalendar file: {error}")

    async def run() -> list[dict[str, Any]]:
        await _open_database(settings)
        if authority:
            chosen = await get_authority_by_slug(authority)
            if chosen is None:
                _fail(f"no authority with the slug {authority!r}")
        else:
            known = await list_authorities()
            if len(known) != 1:
                _fail(f"{len(known)} authorities are registered: choose one with --authority")
            chosen = known[0]
        classifier = await classifier_for(chosen)
        lines: list[dict[str, Any]] = []
        for href, data in objects.items():
            try:
                occurrences = events_from_ical(
                    data, href=href, window=window, default_timezone=chosen.timezone
                )
            except MalformedObjectError as error:
                click.echo(f"{href}: {error}", err=True)
                continue
            for event in occurrences:
                verdict = classifier(calendar_data(event))
                names = await representatives_by_id(verdict.representative_ids)
                lines.append(
                    {
                        "uid": event.key.uid,
                        "recurrence_id": event.key.recurrence_id,
                        "start": event.start.isoformat(),
                        "kind": verdict.kind.value,
                        "organisations": [
                            {"id": str(i), "name": names[i].name if i in names else None}
                            for i in verdict.representative_ids
                        ],
                        "confidence": verdict.confidence,
                        "reasons": [
                            {
                                "rule": reason.rule,
                                "field": reason.field,
                                "matched": reason.matched,
                                "explanation": reason.explanation.fr,
                            }
                            for reason in verdict.reasons
                        ],
                    }
                )
        return lines

    for line in _run(run()):
        click.echo(json.dumps(line, ensure_ascii=False))

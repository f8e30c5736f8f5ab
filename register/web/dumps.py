"""The bulk downloads at /donnees/<file>: made on first request and whenever something was
published since (see `register.services.dumps`), served with ETag and Last-Modified."""

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

from register.services.dumps import (
    FILES,
    PACKAGE_FILE,
    dumped_version,
    dumps_directory,
    refresh_dumps,
)
from register.settings import Settings

_MEDIA_TYPES = {"gz": "application/gzip", "json": "application/json"}


class DumpsController(Controller):
    path = "/donnees"
    include_in_schema = True
    tags = ["open data"]  # noqa: RUF012 - Litestar's declaration

    @get("/{name:str}", name="dump", cache=False, summary="Download a bulk file")
    async def download(
        self,
        name: FromPath[str],
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        """The whole published register as `registre.csv.gz` or `registre.json.gz`, the
        publication log as `journal.jsonl.gz`, and `datapackage.json`, their Frictionless
        descriptor (Table Schema of the CSV, sizes and SHA-256 of each file)."""
        if name not in FILES:
            raise NotFoundException(detail=f"No such file; the downloads are: {', '.join(FILES)}.")
        await refresh_dumps(settings.data_dir, now=datetime.now(UTC))
        directory = dumps_directory(settings.data_dir)
        path = directory / name
        version = dumped_version(directory)
        etag = f'"{version}-{name}"'
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        headers = {
            "ETag": etag,
            "Last-Modified": format_datetime(modified, usegmt=True),
            "Cache-Control": "public, max-age=300",
            "Access-Control-Allow-Origin": "*",
        }
        if request.headers.get("if-none-match") == etag:
            return Response(content=b"", status_code=304, headers=headers)
        return File(
            path=path,
            filename=name,
            media_type=_MEDIA_TYPES[name.rsplit(".", 1)[-1]],
            content_disposition_type="attachment" if name != PACKAGE_FILE else "inline",
            headers=headers,
        )

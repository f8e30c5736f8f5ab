"""Profile API requests in process with pyinstrument: where a slow answer spends its time.

    .venv/bin/python -m bench.api_profile --data-dir DIR [--repeat 5] [--html FILE] PATH…

Each PATH (e.g. `/api/v1/meetings?limit=100`) is requested `--repeat` times through the
application (`create_app`, driven by httpx's ASGI transport, as the web tests drive it) after
one unprofiled warm-up request (`--no-warm-up`: none, to see a cache filled); the profile of
the repeated requests is printed as text, or written as HTML.
"""

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path

import httpx
from pyinstrument import Profiler

from register.settings import Settings
from register.store.engine import make_engine, prepare_engine, use_engine
from register.web import create_app


async def _profile(
    data_dir: Path, paths: Sequence[str], repeat: int, *, warm_up: bool = True
) -> Profiler:
    settings = Settings(data_dir=data_dir, api_rate_limit=0, sync_interval=0, dumps_interval=0)
    engine = make_engine(settings)
    use_engine(engine)
    await prepare_engine(engine)
    app = create_app(settings, engine=engine)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.test") as client:
        for path in paths if warm_up else ():
            (await client.get(path)).raise_for_status()
        profiler = Profiler(async_mode="enabled")
        with profiler:
            for _ in range(repeat):
                for path in paths:
                    (await client.get(path, headers={"Accept-Encoding": "identity"})).read()
    return profiler


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--html", type=Path, help="write the profile as HTML here")
    parser.add_argument(
        "--no-warm-up", action="store_true", help="profile the first requests too (cold caches)"
    )
    parser.add_argument("paths", nargs="+", help="paths and query strings to request")
    arguments = parser.parse_args(argv)
    profiler = asyncio.run(
        _profile(
            arguments.data_dir,
            arguments.paths,
            arguments.repeat,
            warm_up=not arguments.no_warm_up,
        )
    )
    if arguments.html:
        arguments.html.write_text(profiler.output_html(), encoding="utf-8")
    else:
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()

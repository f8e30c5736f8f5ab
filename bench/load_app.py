"""The register's application for the load and feed benchmarks: the real `create_app`, plus
`/bench-static/…` serving the files of `BENCH_STATIC_DIR` through the same server process, so
that a feed can be compared with a static file of the same size served by the same stack.

    uvicorn bench.load_app:create_app --factory
"""

import os
from pathlib import Path

from litestar import Litestar
from litestar.static_files import create_static_files_router

from register.web.app import create_app as create_register_app

STATIC_PATH = "/bench-static"


def create_app() -> Litestar:
    app = create_register_app()
    folder = os.environ.get("BENCH_STATIC_DIR")
    if folder:
        app.register(
            create_static_files_router(
                path=STATIC_PATH, directories=[Path(folder)], include_in_schema=False
            )
        )
    return app

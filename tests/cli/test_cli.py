"""The `register` command, run as a real process as users run it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from register.store.migrate import known_migrations
from tests.databases import fresh_postgres_database

REGISTER = [sys.executable, "-m", "register"]


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("REGISTER_", "DATABASE_URL"))
    }
    environment.update(env or {})
    return subprocess.run(
        [*REGISTER, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_args(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[str]]:
    """Command-line options that point at a new, empty database of each engine."""
    if request.param == "postgres":
        request.getfixturevalue("postgres_url")
        with fresh_postgres_database("register_cli") as url:
            yield ["--data-dir", str(tmp_path / "data"), "--database-url", url]
    else:
        yield ["--data-dir", str(tmp_path / "data")]


@pytest.mark.parametrize(
    "command", [[], ["migrate"], ["serve"], ["demo"], ["createuser"], ["verify"]]
)
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")

    assert result.returncode == 0, result.stderr
    assert "Usage: register" in result.stdout
    assert "--help" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bogus"], "register: error: No such command 'bogus'."),
        (
            ["serve", "--port", "0"],
            "register: error: Invalid value for '--port': 0 is not in the range 1<=x<=65535.",
        ),
        (["migrate", "--colour"], "register: error: No such option '--colour'."),
        (["createuser", "--role", "editor"], "register: error: Missing option '--username'."),
        (
            ["createuser", "--username", "x", "--role", "king"],
            "register: error: Invalid value for '--role': 'king' is not one of "
            "'administrator', 'editor', 'official'.",
        ),
        (
            ["migrate", "--database-url", "mysql://root@127.0.0.1/test"],
            "register: error: DATABASE_URL must start with postgresql:// (got mysql://)",
        ),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(
    args: list[str], message: str, tmp_path: Path
) -> None:
    result = run(*args, "--data-dir", str(tmp_path)) if args[0] != "bogus" else run(*args)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message)
    assert result.stdout == ""


def test_migrate_twice_is_a_no_op(database_args: list[str]) -> None:
    first = run("migrate", *database_args)
    second = run("migrate", *database_args)

    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        f"Applied {len(known_migrations())} migration(s): {', '.join(known_migrations())}\n"
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout == "The database is up to date; nothing to do.\n"


def test_data_dir_comes_from_the_environment(tmp_path: Path) -> None:
    result = run("migrate", env={"REGISTER_DATA_DIR": str(tmp_path / "from-env")})

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env" / "register.sqlite3").is_file()


def test_unreachable_postgres_is_one_line_and_status_1(tmp_path: Path) -> None:
    result = run("migrate", "--database-url", "postgresql://postgres@127.0.0.1:9/none")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "register: error: cannot prepare the database: "
        "[Errno 111] Connect call failed ('127.0.0.1', 9)"
    ]


def test_createuser_reads_the_password_from_the_environment(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    env = {"REGISTER_NEW_PASSWORD": "correct horse battery staple"}

    created = run("createuser", *data, "--username", "admin", "--role", "administrator", env=env)
    again = run("createuser", *data, "--username", "admin", "--role", "administrator", env=env)
    short = run(
        "createuser",
        *data,
        "--username",
        "other",
        "--role",
        "administrator",
        env={"REGISTER_NEW_PASSWORD": "short"},
    )
    orphan = run("createuser", *data, "--username", "ed", "--role", "editor", env=env)

    assert (created.returncode, created.stdout) == (0, "Created administrator admin.\n")
    assert (again.returncode, again.stderr) == (
        1,
        "register: error: a user named 'admin' already exists\n",
    )
    assert (short.returncode, short.stderr) == (
        1,
        "register: error: the password must have at least 12 characters\n",
    )
    assert orphan.returncode == 1
    assert (
        orphan.stderr
        == "register: error: a editor must be given at least one authority (--authority)\n"
    )


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--data-dir", str(tmp_path), "--port", str(port))

    assert result.returncode == 1
    assert result.stderr.startswith(f"register: error: cannot listen on 127.0.0.1:{port}: ")


def _wait_for_health(
    base: str, process: subprocess.Popen[str], seconds: float = 90
) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"the server exited with {process.returncode}: {errors}")
        try:
            return httpx.get(f"{base}/health", timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer in time")


# On SQLite, the quick start's own command is what the browser tests run and drive
# (tests/browser/conftest.py: `register demo` on a new directory); here, PostgreSQL.
@pytest.mark.parametrize(
    "database_args", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_demo_on_an_empty_directory_serves_a_working_register(database_args: list[str]) -> None:
    port = free_port()
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("REGISTER_", "DATABASE_URL"))
    }
    process = subprocess.Popen(
        [*REGISTER, "demo", *database_args, "--port", str(port), "--caldav-port", str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = _wait_for_health(base, process)
        home = httpx.get(f"{base}/", timeout=10)
        schema = httpx.get(f"{base}/schema/openapi.json", timeout=10)
    finally:
        process.terminate()
        process.wait(timeout=30)

    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert home.status_code == 200
    assert "Ville de Bellerive-sur-Loire" in home.text
    assert "Dernières rencontres publiées" in home.text
    assert '<table class="meetings">' in home.text
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Registre de transparence des agendas"

    verified = run("verify", *database_args)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("The publication log verifies: ")
    reloaded = run("demo", *database_args, "--no-serve", "--caldav-port", str(free_port()))
    assert reloaded.returncode == 0, reloaded.stderr
    assert reloaded.stdout.startswith("Already loaded: bellerive-sur-loire with ")

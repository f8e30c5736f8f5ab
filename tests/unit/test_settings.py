"""Every setting is documented in the README, and read from the environment as documented."""

from pathlib import Path

import pytest

from register.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _variable(field: str) -> str:
    return "DATABASE_URL" if field == "database_url" else f"REGISTER_{field.upper()}"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme_configuration_table(field: str) -> None:
    assert f"| `{_variable(field)}` |" in README.read_text(encoding="utf-8")


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTER_DATA_DIR", "/srv/register")
    monkeypatch.setenv("DATABASE_URL", "postgresql://register@db/register")
    monkeypatch.setenv("REGISTER_PORT", "8080")
    monkeypatch.setenv("REGISTER_LOG_LEVEL", "warning")

    settings = Settings()

    assert settings.data_dir == Path("/srv/register")
    assert settings.sqlite_path == Path("/srv/register/register.sqlite3")
    assert settings.database_url == "postgresql://register@db/register"
    assert settings.port == 8080
    assert settings.log_level == "WARNING"


def test_blank_database_url_means_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "  ")

    assert Settings().database_url is None


def test_out_of_range_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTER_PORT", "70000")

    with pytest.raises(ValueError, match="less than or equal to 65535"):
        Settings()

"""Server settings: safe to start on a laptop, and refusing laptop defaults in production."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from sync_server.settings import ENV_PREFIX, Environment, ServerSettings

SAFE_SECRET = "0123456789abcdef0123456789abcdef-x"


@pytest.fixture(autouse=True)
def no_server_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def test_development_defaults_need_no_configuration() -> None:
    settings = ServerSettings()

    assert settings.environment is Environment.DEVELOPMENT
    assert settings.database_url.startswith("sqlite:///")
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.migrate_on_startup


def test_settings_come_from_prefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOYALTY_SERVER_DATABASE_URL", "postgresql+psycopg://u:p@db/loyalty")
    monkeypatch.setenv("LOYALTY_SERVER_PORT", "9000")
    monkeypatch.setenv("LOYALTY_SERVER_MIGRATE_ON_STARTUP", "false")

    settings = ServerSettings()

    assert settings.database_url == "postgresql+psycopg://u:p@db/loyalty"
    assert settings.port == 9000
    assert not settings.migrate_on_startup


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_plain_postgresql_url_is_served_by_psycopg_3(scheme: str) -> None:
    settings = ServerSettings(database_url=f"{scheme}://u:p@db:5432/loyalty")

    assert settings.database_url == "postgresql+psycopg://u:p@db:5432/loyalty"


def test_an_unsupported_database_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="must start with sqlite:// or postgresql"):
        ServerSettings(database_url="mysql://u:p@db/loyalty")


def test_production_refuses_every_development_default_in_one_message() -> None:
    with pytest.raises(ValidationError) as refused:
        ServerSettings(environment=Environment.PRODUCTION)

    message = str(refused.value)
    assert "unsafe settings for environment=production" in message
    assert "LOYALTY_SERVER_SECRET_KEY is the development default" in message
    assert "secrets.token_urlsafe" in message  # says how to make one
    assert "LOYALTY_SERVER_DATABASE_URL is not set" in message


def test_production_refuses_a_short_secret_key() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY is shorter than 32 characters"):
        ServerSettings(
            environment=Environment.PRODUCTION,
            secret_key="hunter2",
            database_url="postgresql+psycopg://loyalty@db/loyalty",
        )


def test_production_accepts_a_real_secret_and_an_explicit_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOYALTY_SERVER_ENVIRONMENT", "production")
    monkeypatch.setenv("LOYALTY_SERVER_SECRET_KEY", SAFE_SECRET)
    monkeypatch.setenv("LOYALTY_SERVER_DATABASE_URL", "postgresql://loyalty@db/loyalty")

    settings = ServerSettings()

    assert settings.environment is Environment.PRODUCTION
    assert settings.secret_key.get_secret_value() == SAFE_SECRET


def test_the_secret_key_never_shows_in_logs_or_reprs() -> None:
    settings = ServerSettings(secret_key=SAFE_SECRET)

    assert SAFE_SECRET not in repr(settings)
    assert SAFE_SECRET not in str(settings.model_dump())

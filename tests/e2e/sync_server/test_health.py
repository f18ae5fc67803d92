"""``/health`` and ``/openapi.json`` over real HTTP, as a load balancer or operator sees them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from sqlalchemy.engine import make_url

from sync_server import __version__
from sync_server.adapters.migrate import head_revision
from sync_server.settings import Environment, ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.pg_support import require_postgres

TIMEOUT_S = 10


def backend_of(url: str) -> str:
    return make_url(url).get_backend_name()


def test_health_reports_ok_with_version_and_migrated_database(database_url: str) -> None:
    settings = ServerSettings(database_url=database_url)

    with running_server(settings) as base_url:
        response = requests.get(f"{base_url}/health", timeout=TIMEOUT_S)

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": __version__,
        "database": {
            "backend": backend_of(database_url),
            "reachable": True,
            "schema_revision": head_revision(),
        },
    }


def test_health_shows_a_database_that_was_never_migrated(database_url: str) -> None:
    settings = ServerSettings(database_url=database_url, migrate_on_startup=False)

    with running_server(settings) as base_url:
        body = requests.get(f"{base_url}/health", timeout=TIMEOUT_S).json()

    assert body["status"] == "ok"
    assert body["database"]["schema_revision"] is None


def missing_sqlite_file(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'no-such-directory' / 'server.sqlite3'}"


def missing_pg_database(_tmp_path: Path) -> str:
    # A running server without that database: fail, not pass, when PostgreSQL is down.
    server = make_url(require_postgres())
    return server.set(
        drivername="postgresql+psycopg", database="loyalty_test_missing"
    ).render_as_string(hide_password=False)


@pytest.mark.parametrize(
    "unreachable_url",
    [missing_sqlite_file, pytest.param(missing_pg_database, marks=pytest.mark.postgres)],
    ids=["sqlite", "postgresql"],
)
def test_health_is_503_while_the_database_is_unreachable(
    unreachable_url: Callable[[Path], str], tmp_path: Path
) -> None:
    url = unreachable_url(tmp_path)
    settings = ServerSettings(database_url=url, migrate_on_startup=False)

    with running_server(settings) as base_url:
        response = requests.get(f"{base_url}/health", timeout=TIMEOUT_S)

    # Nothing about where the database is (path, host, name) leaks to the caller.
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "version": __version__,
        "database": {"backend": backend_of(url), "reachable": False, "schema_revision": None},
    }


def test_openapi_schema_describes_the_health_endpoint(tmp_path: Path) -> None:
    settings = ServerSettings(database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}")

    with running_server(settings) as base_url:
        response = requests.get(f"{base_url}/openapi.json", timeout=TIMEOUT_S)

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {"title": "Loyalty sync server", "version": __version__}
    health = schema["paths"]["/health"]["get"]
    # 503 is a HealthV1 here (a load balancer reads it); any endpoint may be 413 or 500.
    assert set(health["responses"]) == {"200", "413", "500", "503"}
    assert health["responses"]["503"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HealthV1"
    }
    assert "HealthV1" in schema["components"]["schemas"]


def test_production_settings_that_are_safe_start_the_server(tmp_path: Path) -> None:
    settings = ServerSettings(
        environment=Environment.PRODUCTION,
        secret_key="k" * 40,
        database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}",
    )

    with running_server(settings) as base_url:
        response = requests.get(f"{base_url}/health", timeout=TIMEOUT_S)

    assert response.status_code == 200

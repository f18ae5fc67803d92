"""The ``sync-server`` command as an operator runs it, in a child process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy import inspect

from sync_server.adapters.database import create_database_engine
from sync_server.adapters.migrate import current_revision, head_revision
from sync_server.adapters.models import metadata
from sync_server.settings import ENV_PREFIX

START_DEADLINE_S = 60.0


def sync_server_command() -> list[str]:
    """The installed console script if there is one, else the module it runs."""
    script = shutil.which("sync-server", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "sync_server"]


def clean_environment(**settings: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(ENV_PREFIX)}
    env.update({ENV_PREFIX + name.upper(): value for name, value in settings.items()})
    return env


def run_cli(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*sync_server_command(), *args],
        env=clean_environment(**settings),
        capture_output=True,
        text=True,
        timeout=START_DEADLINE_S,
        check=False,
    )


def test_migrate_command_brings_the_database_to_head(database_url: str) -> None:
    result = run_cli("migrate", "--database-url", database_url)

    assert result.returncode == 0, result.stderr
    assert head_revision() in result.stdout
    engine = create_database_engine(database_url)
    try:
        assert current_revision(engine) == head_revision()
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_production_with_development_defaults_refuses_to_start() -> None:
    result = run_cli(environment="production")

    assert result.returncode == 2
    assert "refusing to start" in result.stderr
    assert "LOYALTY_SERVER_SECRET_KEY is the development default" in result.stderr
    assert "LOYALTY_SERVER_DATABASE_URL is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_flag_value_is_refused_with_its_variable_named() -> None:
    result = run_cli("--port", "70000")

    assert result.returncode == 2
    assert "LOYALTY_SERVER_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(*args: str, **settings: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [*sync_server_command(), *args],
        env=clean_environment(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=START_DEADLINE_S)


def wait_for_health(process: subprocess.Popen[str], url: str) -> requests.Response:
    deadline = time.monotonic() + START_DEADLINE_S
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                raise AssertionError(f"sync-server did not come up:\n{output}") from None
            time.sleep(0.1)


def test_serve_command_answers_health_on_the_given_port(tmp_path: Path) -> None:
    port = free_loopback_port()
    database = tmp_path / "server.sqlite3"

    # Flags and LOYALTY_SERVER_* variables combine.
    with serving("--port", str(port), database_url=f"sqlite:///{database}") as process:
        response = wait_for_health(process, f"http://127.0.0.1:{port}/health")

    assert response.status_code == 200
    assert response.json()["database"]["schema_revision"] == head_revision()
    assert database.exists()

"""The demo: a local sync server on SQLite in a child process, and a seeded till window.

The server runs as its own process (``python -m sync_server``): the till only
ever talks to it over HTTP, as it would to a real central server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from pos_client.adapters.server_client import ServerClient
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.demo_store import demo_data, seed_demo_store
from pos_client.services.enrollment import enroll_till, stored_enrollment

SERVER_START_TIMEOUT_S = 30


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", preferred)) != 0:
            return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(folder: Path, port: int) -> subprocess.Popen[bytes]:
    log = (folder / "server.log").open("ab")
    return subprocess.Popen(
        _server_command(folder, "serve", "--host", "127.0.0.1", "--port", str(port), "--migrate"),
        stdout=log,
        stderr=subprocess.STDOUT,
        env=_server_env(),
    )


def _server_command(folder: Path, *args: str) -> list[str]:
    database = f"sqlite:///{(folder / 'server.sqlite3').resolve()}"
    return [sys.executable, "-m", "sync_server", *args, "--database-url", database]


def enroll_demo_till(folder: Path, url: str, till: Till) -> str:
    """Enroll the demo till once, as an operator would: a code from the server's CLI."""
    if stored_enrollment(till.services.uows.reading()) is not None:
        return "already enrolled"
    store = demo_data()["store"]["name"]
    issued = subprocess.run(
        _server_command(folder, "enrollment-code", "--store", store),
        capture_output=True,
        text=True,
        timeout=60,
        env=_server_env(),
        check=True,
    )
    code = next(
        line.split(":", 1)[1].strip()
        for line in issued.stdout.splitlines()
        if line.startswith("code:")
    )
    result = enroll_till(
        url, code, None, till.services.uows.writing(), till.services.ctx, ServerClient()
    )
    return f"enrolled as {result.till_name} in {result.store_name}"


def _server_env() -> dict[str, str]:
    return {**os.environ, "LOYALTY_SERVER_ENVIRONMENT": "development"}


def wait_healthy(url: str, server: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            if requests.get(f"{url}/health", timeout=1).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def run_demo(folder: Path, customers: int = 3000, port: int = 8765) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port(port)
    url = f"http://127.0.0.1:{port}"
    server = start_server(folder, port)
    try:
        if not wait_healthy(url, server):
            print(f"the demo sync server did not start; see {folder / 'server.log'}")
            return 1
        settings = load_settings(data_dir=folder / "till", server_url=url)
        till = bootstrap(settings)
        try:
            report = seed_demo_store(
                till.services.uows, till.engines, till.services.ctx, customers=customers
            )
            print(f"demo till {enroll_demo_till(folder, url, till)}")
        finally:
            till.close()
        if report.seeded:
            print(f"demo store seeded: {report.customers} customers")
        pins = ", ".join(f"{s['name']} {s['pin']}" for s in demo_data()["staff"])
        print(f"sync server {url}; staff PINs: {pins}", flush=True)
        from pos_client.__main__ import run_till

        return run_till(settings)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

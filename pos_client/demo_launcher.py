"""The demo: a local sync server on SQLite in a child process, and a till that syncs with it.

The server runs as its own process (``python -m sync_server``) and holds the demo store
(``sync-server seed-demo``); the till enrolls with a one-time code from the server's CLI
and pulls the store over HTTP, as it would from a real central server, then syncs by
itself while the window is open. ``pos-admin demo --till 2`` starts a second till in
its own folder against the same server (started by the first, or started now).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from pos_client.adapters.server_client import ServerClient
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.demo_store import demo_data
from pos_client.services.enrollment import enroll_till, stored_enrollment

SERVER_START_TIMEOUT_S = 30
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", preferred)) != 0:
            return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _end_with_the_demo() -> None:
    """In the server's child, before it runs (Linux): SIGTERM when the demo's process ends
    however it ends, even when Qt aborts it for want of a display or a library, which no
    ``finally`` outlives. Elsewhere the ``finally`` of ``run_demo`` is all there is."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_server(folder: Path, port: int) -> subprocess.Popen[bytes]:
    log = (folder / "server.log").open("ab")
    return subprocess.Popen(
        _server_command(folder, "serve", "--host", "127.0.0.1", "--port", str(port), "--migrate"),
        stdout=log,
        stderr=subprocess.STDOUT,
        env=_server_env(),
        preexec_fn=_end_with_the_demo,  # noqa: PLW1509 - before any thread: only a prctl
    )


def _server_command(folder: Path, *args: str) -> list[str]:
    database = f"sqlite:///{(folder / 'server.sqlite3').resolve()}"
    return [sys.executable, "-m", "sync_server", *args, "--database-url", database]


def seed_demo_server(folder: Path, customers: int) -> str:
    """The demo store on the server; a store already seeded is left as it is."""
    seeded = subprocess.run(
        _server_command(folder, "seed-demo", "--customers", str(customers)),
        capture_output=True,
        text=True,
        timeout=300,
        env=_server_env(),
        check=True,
    )
    return seeded.stdout.strip()


def bootstrap_from_server(till: Till) -> int:
    """Pull the whole store before the window opens, printing progress; rows pulled."""

    def progress(rows: int, more: bool) -> None:
        print(f"\rloading the store from the server: {rows} rows", end="", flush=True)
        if not more:
            print(flush=True)

    return till.sync.sync_now(on_page=progress).pulled_rows


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


def run_demo(folder: Path, customers: int = 3000, port: int = 8765, till_number: int = 1) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}"
    server = None
    if not _answers(url):  # a first demo till starts the server; a second one shares it
        port = _free_port(port)
        url = f"http://127.0.0.1:{port}"
        server = start_server(folder, port)
    try:
        if server is not None and not wait_healthy(url, server):
            print(f"the demo sync server did not start; see {folder / 'server.log'}")
            return 1
        print(seed_demo_server(folder, customers))
        name = "till" if till_number == 1 else f"till-{till_number}"
        settings = load_settings(data_dir=folder / name, server_url=url)
        till = bootstrap(settings)
        try:
            print(f"demo till {till_number} {enroll_demo_till(folder, url, till)}")
            bootstrap_from_server(till)
        finally:
            till.close()
        pins = ", ".join(f"{s['name']} {s['pin']}" for s in demo_data()["staff"])
        login = demo_data()["dashboard_login"]
        print(f"sync server {url}; staff PINs: {pins}", flush=True)
        print(
            f"managers' dashboard {url}/dashboard/ (login {login['login']}, "
            f"password {login['password']})",
            flush=True,
        )
        from pos_client.__main__ import run_till_to_exit

        return run_till_to_exit(settings)  # Qt is gone before the server is stopped
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/health", timeout=1).status_code == 200
    except requests.RequestException:
        return False

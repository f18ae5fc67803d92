"""The Quick start's demo, minus the window: a real sync server child process on loopback,
a seeded till that enrolls with it by a one-time code from the server's own CLI."""

from __future__ import annotations

import socket
from pathlib import Path

from pos_client.adapters.server_client import ServerClient
from pos_client.bootstrap import bootstrap
from pos_client.config import load_settings
from pos_client.demo_launcher import enroll_demo_till, start_server, wait_healthy
from pos_client.services.demo_store import seed_demo_store
from pos_client.services.enrollment import stored_enrollment


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_demo_server_starts_and_the_demo_till_enrolls_once(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(tmp_path, port)
    try:
        assert wait_healthy(url, server), (tmp_path / "server.log").read_text()
        till = bootstrap(load_settings(data_dir=tmp_path / "till", server_url=url), logs=False)
        try:
            report = seed_demo_store(
                till.services.uows, till.engines, till.services.ctx, customers=100
            )
            assert report.seeded and report.customers == 100
            assert enroll_demo_till(tmp_path, url, till).startswith("enrolled as")
            assert enroll_demo_till(tmp_path, url, till) == "already enrolled"
            enrollment = stored_enrollment(till.services.uows.reading())
            assert enrollment is not None
            me = ServerClient().whoami(url, enrollment.credential)
            assert me.till_id == till.services.ctx.till_id
        finally:
            till.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

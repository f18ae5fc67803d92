"""``sync-server serve`` in a child process as an operator runs it: HTTPS with uvicorn's
own TLS (a certificate from a throwaway CA), and several worker processes."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import trustme

from loyalty_core.ids import new_id
from pos_client.adapters.server_client import ServerClient, ServerUnavailableError
from sync_server.adapters.migrate import head_revision
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.server_admin import issue_code
from tests.e2e.sync_server.test_cli import (
    START_DEADLINE_S,
    free_loopback_port,
    run_cli,
    serving,
)

TIMEOUT_S = 10


class Certificates:
    def __init__(self, folder: Path) -> None:
        ca = trustme.CA()
        issued = ca.issue_cert("127.0.0.1", "localhost")
        self.ca = folder / "ca.pem"
        self.cert = folder / "server-chain.pem"
        self.key = folder / "server-key.pem"
        ca.cert_pem.write_to_path(str(self.ca))
        for blob in issued.cert_chain_pems:
            blob.write_to_path(str(self.cert), append=True)
        issued.private_key_pem.write_to_path(str(self.key))


@pytest.fixture
def certificates(tmp_path: Path) -> Certificates:
    return Certificates(tmp_path)


def wait_until_answering(
    process: subprocess.Popen[str], url: str, verify: str | bool = True
) -> requests.Response:
    deadline = time.monotonic() + START_DEADLINE_S
    while True:
        try:
            return requests.get(url, timeout=5, verify=verify)
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.terminate()
                output, _ = process.communicate(timeout=START_DEADLINE_S)
                raise AssertionError(f"sync-server did not come up:\n{output}") from None
            time.sleep(0.1)


@pytest.fixture
def tls_server(certificates: Certificates, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """An HTTPS server; yields its base URL and its database URL."""
    port = free_loopback_port()
    database_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    tls = ["--ssl-certfile", str(certificates.cert), "--ssl-keyfile", str(certificates.key)]
    with serving("--port", str(port), *tls, database_url=database_url) as process:
        base_url = f"https://127.0.0.1:{port}"
        assert wait_until_answering(process, f"{base_url}/health", str(certificates.ca)).ok
        yield base_url, database_url


def test_the_server_speaks_https_with_uvicorns_own_tls(
    tls_server: tuple[str, str], certificates: Certificates
) -> None:
    base_url, _ = tls_server

    health = requests.get(f"{base_url}/health", timeout=TIMEOUT_S, verify=str(certificates.ca))

    assert health.status_code == 200
    assert health.json()["database"]["schema_revision"] == head_revision()
    with pytest.raises(requests.exceptions.SSLError):  # a CA nobody trusts by default
        requests.get(f"{base_url}/health", timeout=TIMEOUT_S)
    with pytest.raises(requests.ConnectionError):  # and no plain HTTP on that port
        requests.get(base_url.replace("https:", "http:") + "/health", timeout=TIMEOUT_S)


def test_a_till_enrolls_over_https_trusting_the_stores_ca(
    tls_server: tuple[str, str], certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The till has no CA setting of its own: requests' REQUESTS_CA_BUNDLE names the CA."""
    base_url, database_url = tls_server
    code = issue_code(ServerSettings(database_url=database_url))
    till_id = new_id()
    client = ServerClient()

    with pytest.raises(ServerUnavailableError):  # without the CA the till refuses the server
        client.enroll(base_url, code, till_id, "Till 1")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.ca))
    enrolled = client.enroll(base_url, code, till_id, "Till 1")

    assert enrolled.till_id == till_id
    assert client.whoami(base_url, enrolled.credential).till_name == "Till 1"


def test_tls_needs_both_files_and_says_so() -> None:
    result = run_cli("--ssl-certfile", "/no/such/cert.pem")

    assert result.returncode == 2
    assert "SSL_CERTFILE and LOYALTY_SERVER_SSL_KEYFILE go together" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_certificate_file_is_named() -> None:
    result = run_cli("--ssl-certfile", "/no/such/cert.pem", "--ssl-keyfile", "/no/such/key.pem")

    assert result.returncode == 2
    assert "LOYALTY_SERVER_SSL_CERTFILE: no such file: /no/such/cert.pem" in result.stderr


def worker_processes(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(child)
        for child in children
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def test_two_workers_serve_one_database(database_url: str) -> None:
    port = free_loopback_port()
    base_url = f"http://127.0.0.1:{port}"

    with serving("--port", str(port), "--workers", "2", database_url=database_url) as process:
        health = wait_until_answering(process, f"{base_url}/health")
        workers = worker_processes(process.pid)
        code = issue_code(ServerSettings(database_url=database_url))
        enrolled = requests.post(
            f"{base_url}/v1/tills/enroll",
            json={"code": code, "till_id": new_id(), "till_name": "Till 1"},
            timeout=TIMEOUT_S,
        )
        credential = enrolled.json()["credential"]
        # New connections, so the kernel spreads them over both workers' accept queues.
        answers = [
            requests.get(
                f"{base_url}/v1/tills/me",
                headers={"Authorization": f"Bearer {credential}"},
                timeout=TIMEOUT_S,
            ).status_code
            for _ in range(20)
        ]

    assert health.status_code == 200
    assert health.json()["database"]["schema_revision"] == head_revision()  # migrated once
    assert len(workers) == 2
    assert enrolled.status_code == 200
    assert answers == [200] * 20
    assert process.returncode == 0

"""``sync-server enrollment-code`` and ``revoke-till`` as an operator runs them, in a
child process beside a running server on the same database."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from loyalty_core.ids import new_id
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.e2e.sync_server.test_cli import run_cli

TIMEOUT_S = 10
CODE_LINE = re.compile(r"^code: (\d{4}-\d{4}-\d{4})$", re.MULTILINE)


def test_an_issued_code_enrolls_a_till_and_revoke_till_stops_its_credential(
    database_url: str,
) -> None:
    settings = ServerSettings(database_url=database_url)
    with running_server(settings) as base_url:
        issued = run_cli(
            "enrollment-code", "--store", "Main street", "--ttl-hours", "2",
            "--database-url", database_url,
        )  # fmt: skip
        assert issued.returncode == 0, issued.stderr
        match = CODE_LINE.search(issued.stdout)
        assert match, issued.stdout
        assert "store: Main street" in issued.stdout
        assert "pos-admin enroll --server URL --code" in issued.stdout

        till_id = new_id()
        enrolled = requests.post(
            f"{base_url}/v1/tills/enroll",
            json={"code": match.group(1), "till_id": till_id, "till_name": "Till 1"},
            timeout=TIMEOUT_S,
        )
        assert enrolled.status_code == 200, enrolled.text
        bearer = {"Authorization": f"Bearer {enrolled.json()['credential']}"}

        revoked = run_cli("revoke-till", "--till-id", till_id, "--database-url", database_url)
        assert revoked.returncode == 0, revoked.stderr
        assert f"revoked till 'Till 1' ({till_id}) of store 'Main street'" in revoked.stdout

        me = requests.get(f"{base_url}/v1/tills/me", headers=bearer, timeout=TIMEOUT_S)
        assert me.status_code == 401


def test_revoking_an_unknown_till_is_refused_with_a_message(database_url: str) -> None:
    result = run_cli("revoke-till", "--till-id", new_id(), "--database-url", database_url)

    assert result.returncode == 2
    assert "There is no till with id" in result.stderr
    assert "Traceback" not in result.stderr


def test_enrollment_code_without_a_store_or_with_a_bad_lifetime_is_refused(
    database_url: str,
) -> None:
    no_store = run_cli("enrollment-code", "--database-url", database_url)
    bad_ttl = run_cli(
        "enrollment-code", "--store", "Main street", "--ttl-hours", "0",
        "--database-url", database_url,
    )  # fmt: skip

    assert no_store.returncode == 2
    assert "enrollment-code needs --store" in no_store.stderr
    assert bad_ttl.returncode == 2
    assert "at most 720 hours" in bad_ttl.stderr
    assert "Traceback" not in no_store.stderr + bad_ttl.stderr


def test_an_enormous_code_lifetime_is_refused_without_a_traceback(tmp_path: Path) -> None:
    result = run_cli(
        "enrollment-code", "--store", "Main street", "--ttl-hours", "1e12",
        "--database-url", f"sqlite:///{tmp_path / 'server.sqlite3'}",
    )  # fmt: skip

    assert result.returncode == 2
    assert "--ttl-hours" in result.stderr
    assert "Traceback" not in result.stderr

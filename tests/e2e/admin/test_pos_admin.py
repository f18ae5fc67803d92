"""``pos-admin`` as an operator uses it, on a real till database in a temporary folder."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pos_client.admin_cli import EXIT_REFUSED, main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_seed_create_staff_and_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    code, out, _ = _run(capsys, *data, "init-db")
    assert code == 0 and "schema revision" in out
    code, out, _ = _run(capsys, *data, "seed-demo", "--customers", "25")
    assert code == 0 and "25 customers" in out
    code, out, _ = _run(capsys, *data, "seed-demo")
    assert "left as it is" in out  # seeding twice changes nothing
    code, out, _ = _run(
        capsys, *data, "create-staff", "--name", "Пётр", "--role", "senior", "--pin", "5678"
    )
    assert code == 0 and "senior Пётр" in out
    code, out, _ = _run(capsys, *data, "create-staff", "--name", "X", "--pin", "12")
    assert code == EXIT_REFUSED  # a PIN is 4-8 digits
    code, out, _ = _run(capsys, *data, "status")
    assert "staff 4, sales 0" in out


def test_test_receipt_to_a_file_and_a_printer_that_is_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "receipt.bin"
    code, _out, _ = _run(capsys, "print-test-receipt", "--printer", f"file://{target}")
    assert code == 0 and target.stat().st_size > 0
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = _run(capsys, "print-test-receipt", "--printer", f"tcp://127.0.0.1:{port}")
    assert code == EXIT_REFUSED and "refused the connection" in err


def test_enrolling_with_a_server_that_is_down_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = _run(
        capsys,
        "--data-dir",
        str(tmp_path),
        "enroll",
        "--server",
        f"http://127.0.0.1:{port}",
        "--code",
        "1234-5678-9012",
    )
    assert code == EXIT_REFUSED and err.startswith("pos-admin: ")


def test_a_registered_card_exports_as_a_qr_png_a_forged_or_unknown_one_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pos_client.bootstrap import bootstrap
    from pos_client.config import load_settings
    from pos_client.services.demo_store import demo_phone

    data = ["--data-dir", str(tmp_path)]
    assert _run(capsys, *data, "seed-demo", "--customers", "3")[0] == 0
    till = bootstrap(load_settings(data_dir=tmp_path), logs=False)
    try:
        card = till.services.identify(demo_phone(0)).card_number
        unknown = till.services.ctx.card_codec.issue()  # valid digits, never registered
    finally:
        till.close()
    assert card is not None
    out_file = tmp_path / "card.png"
    code, out, _ = _run(capsys, *data, "card-png", "--card", card, "--out", str(out_file))
    assert code == 0 and card[-4:] in out and card[:8] not in out  # masked on screen
    assert out_file.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    forged = card[:-2] + str((int(card[-2]) + 1) % 10) + card[-1]
    code, _, err = _run(capsys, *data, "card-png", "--card", forged, "--out", str(tmp_path / "x"))
    assert code == EXIT_REFUSED and not (tmp_path / "x").exists()
    code, _, err = _run(capsys, *data, "card-png", "--card", unknown, "--out", str(tmp_path / "y"))
    assert code == EXIT_REFUSED and "not registered" in err and not (tmp_path / "y").exists()

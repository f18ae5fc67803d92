"""Logs never hold a full phone number, card number or e-mail address."""

from __future__ import annotations

import logging
from pathlib import Path

from pos_client.logs import configure_logging, redact


def test_phones_cards_and_emails_are_masked() -> None:
    line = redact(
        "customer +79123456789 card 1234567890123456 mail a.b@example.com 8 (912) 345-67-89"
    )
    assert "+79123456789" not in line and "+7912***6789" in line
    assert "1234567890123456" not in line and "************3456" in line
    assert "a.b@example.com" not in line
    assert "345-67-89" not in line


def test_amounts_and_ids_stay_readable() -> None:
    line = redact("sale 42 total 1234.50 receipt #17 at 2026-11-22 10:15:00")
    assert line == "sale 42 total 1234.50 receipt #17 at 2026-11-22 10:15:00"


def test_the_log_file_rotates_and_is_redacted(tmp_path: Path) -> None:
    path = configure_logging(tmp_path / "logs", "INFO")
    try:
        logging.getLogger("test").info("registered +79123456789")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "registered +7912***6789" in text
        assert "+79123456789" not in text
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "_loyalty_till", False)]:
            root.removeHandler(handler)
            handler.close()

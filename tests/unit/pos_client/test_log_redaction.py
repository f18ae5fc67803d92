"""Logs never hold a full phone number, card number or e-mail address."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pos_client.logs import RedactingFormatter, configure_logging, redact


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


def test_a_traceback_another_handler_formatted_first_is_still_redacted() -> None:
    """``logging`` caches a record's traceback text on the record; whichever handler
    formats it first fills the cache. Ours must not reuse an unredacted one."""
    try:
        raise ValueError("no customer with phone +79123456789")
    except ValueError:
        record = logging.getLogger("test").makeRecord(
            "test", logging.ERROR, __file__, 1, "lookup failed", None, sys.exc_info()
        )
    logging.Formatter().format(record)  # e.g. a console handler ahead of the file
    assert "+79123456789" in (record.exc_text or "")

    text = RedactingFormatter().format(record)

    assert "+79123456789" not in text and "+7912***6789" in text


def test_stack_info_is_redacted() -> None:
    record = logging.getLogger("test").makeRecord(
        "test", logging.INFO, __file__, 1, "lookup", None, None, sinfo="at card 1234567890123456"
    )

    text = RedactingFormatter().format(record)

    assert "1234567890123456" not in text and "************3456" in text

"""Logging to a rotating file, with personal data masked before it reaches the disk."""

from __future__ import annotations

import copy
import logging
import logging.handlers
import re
from pathlib import Path

import phonenumbers

from loyalty_core.cards import mask_card
from loyalty_core.phone import mask_phone

LOG_FILE = "till.log"
_CARD = re.compile(r"(?<!\d)\d{16}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def redact(text: str, region: str = "RU") -> str:
    """Mask card numbers, phone numbers (as ``phonenumbers`` finds them) and e-mails."""
    text = _CARD.sub(lambda m: mask_card(m.group()), text)
    matches = list(phonenumbers.PhoneNumberMatcher(text, region))
    for match in reversed(matches):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        text = text[: match.start] + mask_phone(e164) + text[match.end :]
    return _EMAIL.sub("<email>", text)


class RedactingFormatter(logging.Formatter):
    """Redacts the message, traceback and stack (not the timestamp or logger name)."""

    def format(self, record: logging.LogRecord) -> str:
        clean = copy.copy(record)
        clean.msg = redact(record.getMessage())
        clean.args = None
        # A handler ahead of ours may have cached the traceback unredacted on the record.
        clean.exc_text = None
        return super().format(clean)

    def formatException(self, ei: logging._SysExcInfoType) -> str:
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))


def configure_logging(log_dir: Path, level: str = "INFO") -> Path:
    """Send the root logger to ``log_dir/till.log`` (5 files of 2 MB) and return its path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_loyalty_till", False)]:
        root.removeHandler(old)
        old.close()
    handler._loyalty_till = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path

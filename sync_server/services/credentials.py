"""Enrollment codes and till credentials: how they are made and how they are kept.

An enrollment code is typed by a person, so it is short: 12 digits shown in groups
of four (digits survive any keyboard layout, and 10^12 values leave an online
guesser no real chance within a code's lifetime). Being short, a code is stored
only as an HMAC under the server's secret key: a plain hash of 12 digits could be
reversed from a copy of the database by trying them all.

A till credential is a 256-bit random bearer token. That is far beyond guessing,
so a plain SHA-256 is kept; it does not depend on the secret key, so rotating the
key cancels outstanding codes but logs no till out.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

CODE_DIGITS = 12
CODE_GROUP = 4
CODE_EXAMPLE = "1234-5678-9012"
CREDENTIAL_BYTES = 32
_CODE_SEPARATORS = re.compile(r"[\s\-]+")
_CODE = re.compile(rf"[0-9]{{{CODE_DIGITS}}}")


def new_enrollment_code() -> str:
    """A fresh code for people to read and type, e.g. ``4821-0937-5512``."""
    digits = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    return "-".join(digits[i : i + CODE_GROUP] for i in range(0, CODE_DIGITS, CODE_GROUP))


def normalize_enrollment_code(text: str) -> str | None:
    """The code's digits, ignoring spaces and dashes; None if it cannot be a code."""
    digits = _CODE_SEPARATORS.sub("", text)
    return digits if _CODE.fullmatch(digits) else None


def enrollment_code_hash(code: str, key: bytes) -> str:
    """HMAC-SHA256 of the code's digits (``code`` as typed or as issued)."""
    digits = normalize_enrollment_code(code)
    if digits is None:
        raise ValueError("not an enrollment code")
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()


def new_till_credential() -> str:
    return secrets.token_urlsafe(CREDENTIAL_BYTES)


def till_credential_hash(credential: str) -> str:
    return hashlib.sha256(credential.encode("utf-8")).hexdigest()

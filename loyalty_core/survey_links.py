"""The web survey's link on a receipt: a token that names the receipt and its cashier.

``sign`` makes it; ``read`` checks it. The token is the sale's id, the cashier's id and an
expiry (Unix seconds), joined with ``.`` and followed by an HMAC-SHA256 of them under the
store's survey secret (base64url, no padding). It cannot be forged (the MAC), guessed (it
names a random sale id and carries 256 bits of MAC) or used after it expires; it cannot be
used twice because the server keeps one vote per receipt, whichever channel (the customer
display at the till or the web page) brings the first.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from loyalty_core.errors import DomainError

MIN_SECRET_BYTES = 32


class SurveyLinkInvalidError(DomainError):
    code = "survey.link_invalid"
    template = "This survey link is not valid."


class SurveyLinkExpiredError(DomainError):
    code = "survey.link_expired"
    template = "This survey link expired on {date}."


@dataclass(frozen=True, slots=True)
class SurveyTicket:
    sale_id: str
    staff_id: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _mac(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest())


def _checked_secret(secret: bytes) -> bytes:
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"a survey secret needs at least {MIN_SECRET_BYTES} bytes")
    return secret


def store_secret(root: bytes, store_id: str) -> bytes:
    """The secret one store's tills sign their receipts' links with, derived from the
    server's own: a till knows its store's, which signs no other store's receipts."""
    return hmac.new(_checked_secret(root), b"store:" + store_id.encode(), hashlib.sha256).digest()


def sale_named(token: str) -> str | None:
    """The sale a token claims to be for, before it is checked (its store's secret checks
    it); None for a token of the wrong shape."""
    parts = token.split(".")
    if len(parts) != 4 or not token.isascii() or not parts[0]:
        return None
    return parts[0]


def sign(secret: bytes, sale_id: str, staff_id: str, issued_at: datetime, valid: timedelta) -> str:
    """The token for a receipt's survey link, valid for ``valid`` from ``issued_at``."""
    for part in (sale_id, staff_id):
        if not part or not part.isascii() or "." in part:
            raise ValueError("ids in a survey link are ASCII without dots")
    expires = int((issued_at + valid).timestamp())
    body = f"{sale_id}.{staff_id}.{expires}"
    return f"{body}.{_mac(_checked_secret(secret), body)}"


def read(secret: bytes, token: str, now: datetime) -> SurveyTicket:
    """The receipt and cashier a token names; refuses a forged, malformed or expired one."""
    parts = token.split(".")
    if len(parts) != 4 or not token.isascii():
        raise SurveyLinkInvalidError()
    sale_id, staff_id, expires_text, mac = parts
    body = f"{sale_id}.{staff_id}.{expires_text}"
    if not hmac.compare_digest(mac, _mac(_checked_secret(secret), body)):
        raise SurveyLinkInvalidError()
    if not expires_text.isdigit():
        raise SurveyLinkInvalidError()
    expires_at = datetime.fromtimestamp(int(expires_text), UTC)
    if now >= expires_at:
        raise SurveyLinkExpiredError(date=expires_at.date().isoformat())
    return SurveyTicket(sale_id, staff_id, expires_at)

"""The receipt's survey link: it names the receipt and its cashier, and a forged, altered,
malformed or expired one is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.survey_links import (
    SurveyLinkInvalidError,
    SurveyTicket,
    read,
    sale_named,
    sign,
    store_secret,
)

SECRET = b"s" * 32
SALE, STAFF = "5f0c6a1e-2b3d-4c5e-8f90-123456789abc", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
ISSUED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def test_a_link_names_its_receipt_and_cashier_until_it_expires() -> None:
    token = sign(SECRET, SALE, STAFF, ISSUED, WEEK)
    assert read(SECRET, token, ISSUED + WEEK - timedelta(seconds=1)) == SurveyTicket(
        SALE, STAFF, ISSUED + WEEK
    )
    with pytest.raises(DomainError) as expired:
        read(SECRET, token, ISSUED + WEEK)  # the last second is gone
    assert expired.value.code == "survey.link_expired"
    assert expired.value.params == {"date": "2026-03-09"}


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace(SALE, "5f0c6a1e-2b3d-4c5e-8f90-123456789abd"),  # another receipt
        lambda t: t.replace(STAFF, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e"),  # another cashier
        lambda t: ".".join(
            [*t.split(".")[:2], str(int(t.split(".")[2]) + 86_400), t.split(".")[3]]
        ),
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the MAC changed
        lambda t: t.rsplit(".", 1)[0],  # no MAC
        lambda t: t + ".x",
        lambda t: "",
        lambda t: t.replace(".", "ё", 1),
    ],
)
def test_an_altered_or_malformed_link_is_refused(change: object) -> None:
    token = sign(SECRET, SALE, STAFF, ISSUED, WEEK)
    with pytest.raises(DomainError) as refused:
        read(SECRET, change(token), ISSUED)  # type: ignore[operator]
    assert refused.value.code == "survey.link_invalid"


def test_a_link_signed_with_another_stores_secret_is_refused() -> None:
    token = sign(b"o" * 32, SALE, STAFF, ISSUED, WEEK)
    with pytest.raises(DomainError) as refused:
        read(SECRET, token, ISSUED)
    assert refused.value.code == "survey.link_invalid"


def test_a_short_secret_or_ids_with_dots_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        sign(b"short", SALE, STAFF, ISSUED, WEEK)
    with pytest.raises(ValueError, match="without dots"):
        sign(SECRET, "a.b", STAFF, ISSUED, WEEK)
    with pytest.raises(ValueError, match="without dots"):
        sign(SECRET, SALE, "", ISSUED, WEEK)


def test_the_token_is_the_ids_the_expiry_and_an_unpadded_url_safe_mac() -> None:
    token = sign(SECRET, SALE, STAFF, ISSUED, WEEK)
    expires = int((ISSUED + WEEK).timestamp())  # 1773046800: 9 March 2026, 09:00 UTC
    mac = hmac.new(SECRET, f"{SALE}.{STAFF}.{expires}".encode(), hashlib.sha256).digest()
    expected = base64.urlsafe_b64encode(mac).decode().rstrip("=")
    assert token == f"{SALE}.{STAFF}.{expires}.{expected}"
    assert "=" not in token and len(token.rsplit(".", 1)[1]) == 43  # fits a QR, no padding


def test_an_id_with_a_dot_or_not_ascii_is_refused_with_its_reason() -> None:
    for sale in ("a.b", "чек"):
        with pytest.raises(ValueError, match=r"^ids in a survey link are ASCII without dots$"):
            sign(SECRET, sale, STAFF, ISSUED, WEEK)


def test_each_store_signs_with_its_own_secret_derived_from_the_servers() -> None:
    arbat, lenina = store_secret(SECRET, "arbat"), store_secret(SECRET, "lenina")
    # HMAC-SHA256(root, "store:" + id): the server derives it again, nothing is stored.
    expected = hmac.new(SECRET, b"store:arbat", hashlib.sha256).digest()
    assert arbat == expected and len(arbat) == 32 and arbat != lenina
    token = sign(arbat, SALE, STAFF, ISSUED, timedelta(days=1))
    assert read(arbat, token, ISSUED).sale_id == SALE
    with pytest.raises(SurveyLinkInvalidError):
        read(lenina, token, ISSUED)
    with pytest.raises(ValueError, match="at least 32 bytes"):
        store_secret(b"short", "arbat")


def test_the_sale_a_token_names_is_read_before_it_is_checked() -> None:
    token = sign(SECRET, SALE, STAFF, ISSUED, timedelta(days=1))
    assert sale_named(token) == SALE
    assert sale_named(token + "x") == SALE  # not checked yet: its store's secret checks it
    for malformed in ("", "a.b.c", "a.b.c.d.e", ".b.c.d", "ы.b.c.d"):
        assert sale_named(malformed) is None, malformed

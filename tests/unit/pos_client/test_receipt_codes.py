"""What a receipt's QR holds, as the till's scanner finds the sale in it: the store's own
survey address and the sale's id, or the server's survey page and the signed token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty_core.survey_links import sign
from pos_client.ui.checkout.scan_bar import scanned_receipt_id

SALE = "5f0c6a1e-2b3d-4c5e-8f90-123456789abc"
STAFF = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def test_the_sale_is_found_in_a_signed_link_and_in_a_plain_one() -> None:
    token = sign(b"k" * 32, SALE, STAFF, datetime(2026, 12, 1, tzinfo=UTC), timedelta(days=14))
    assert scanned_receipt_id(f"https://rate.example.com/survey/{token}") == SALE
    assert scanned_receipt_id(f"http://127.0.0.1:8000/survey/{token}/") == SALE
    assert scanned_receipt_id(f"https://survey.example/r/{SALE.upper()}") == SALE
    assert scanned_receipt_id(SALE) == SALE


def test_a_code_that_only_looks_like_one_is_no_receipt() -> None:
    token = sign(b"k" * 32, SALE, STAFF, datetime(2026, 12, 1, tzinfo=UTC), timedelta(days=14))
    for code in (
        f"https://rate.example.com/survey/{token}x",  # a MAC one character too long
        f"https://rate.example.com/survey/{token}.more",
        f"https://x/{SALE}.{STAFF}",  # half a token
        f"https://x/{SALE}/next",
        "x" + SALE,
        "4600000000015",
    ):
        assert scanned_receipt_id(code) is None, code

"""A loyalty card as a QR code PNG (for export, e-mail or a wallet), payload digits only.

Digits survive any keyboard layout when a keyboard-wedge scanner types them back, and QR numeric
mode keeps the code small.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import BinaryIO

import qrcode

_CARD_DIGITS = re.compile(r"[0-9]{1,64}")


def render_card_qr_png(
    card_number: str,
    destination: str | os.PathLike[str] | BinaryIO | None = None,
    *,
    box_size: int = 10,
) -> bytes:
    """The PNG bytes of the card's QR code; also written to `destination` (a path or binary file)
    when one is given. Raises ValueError unless `card_number` is 1..64 ASCII digits."""
    if not _CARD_DIGITS.fullmatch(card_number):
        raise ValueError("a card number for a QR code must be 1..64 digits 0-9, nothing else")
    if not 1 <= box_size <= 100:
        raise ValueError("box_size must be 1..100 pixels per module")
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=4,  # the quiet zone the QR standard asks for
    )
    code.add_data(card_number)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    png = buffer.getvalue()
    if isinstance(destination, (str, os.PathLike)):
        Path(destination).write_bytes(png)
    elif destination is not None:
        destination.write(png)
    return png

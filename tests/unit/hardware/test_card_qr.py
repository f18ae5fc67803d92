from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from hardware import render_card_qr_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def colours(image: Image.Image) -> set[object]:
    found = image.getcolors()
    assert found is not None
    return {colour for _, colour in found}


def test_card_qr_is_a_square_black_and_white_png_with_a_quiet_zone(tmp_path: Path) -> None:
    target = tmp_path / "card.png"
    png = render_card_qr_png("2000000000017", target)

    assert png.startswith(PNG_SIGNATURE) and target.read_bytes() == png
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.width == image.height
    assert colours(image) == {0, 255}
    quiet = image.crop((0, 0, image.width, 40))  # 4 modules of 10 px
    assert colours(quiet) == {255}


def test_digits_use_qr_numeric_mode_so_a_20_digit_card_stays_version_1() -> None:
    # Version 1 (21 modules) holds 34 digits at level M but only 14 bytes: 20 digits in byte
    # mode would need version 2. With the 4-module border and 10 px modules: (21 + 8) * 10.
    image = Image.open(io.BytesIO(render_card_qr_png("12345678901234567890")))
    assert image.size == (290, 290)


def test_card_qr_can_be_written_to_an_open_file() -> None:
    sink = io.BytesIO()
    assert render_card_qr_png("42", sink, box_size=2) == sink.getvalue()


@pytest.mark.parametrize("card", ["", "12 34", "2000-0000", "ABC123", "١٢٣", "1" * 65])
def test_card_qr_payload_must_be_plain_digits(card: str) -> None:
    with pytest.raises(ValueError, match="digits"):
        render_card_qr_png(card)

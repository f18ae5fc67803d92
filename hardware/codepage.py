"""One code page for a whole receipt: the characters it has, look-alikes for the others, and its
text encoded in one call of Python's charmap codec.

The character table is python-escpos' own (its printer database: a Python codec's bytes
128-255, or the table the database spells out for code pages Python has no codec for), so a
character prints as the same byte python-escpos would send, and the set of printable
characters and the encoder agree by construction. ASCII is sent as itself. The codec runs in C:
a receipt's text is encoded in microseconds, where python-escpos' encoder loops over every
character in Python (and str.encode("cp866") goes through a dict-based table, 20 times slower
than the codec's own map).

python-escpos is imported lazily (see hardware.escpos_render).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from hardware.receipt_layout import NO_BREAK_SPACE, clean_text

if TYPE_CHECKING:
    from _codecs import _EncodingMap

_LOOK_ALIKES = {
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("«»„“”″", '"'),
    **dict.fromkeys("‘’‚′", "'"),
    "…": "...",
    "₽": "р.",
    "€": "EUR",
    "№": "N",
    "•": "*",
    "×": "x",
}
_UNDEFINED = "\ufffe"  # a charmap decoding table's "no character at this byte"


@dataclass(frozen=True, eq=False)
class CodePage:
    """A code page's printable characters and its encoder. Build it with code_page(name)."""

    name: str
    characters: frozenset[str]  # ASCII and every character with a byte of its own
    _encoding_map: dict[int, int] | _EncodingMap  # from codecs.charmap_build
    _unsafe: re.Pattern[str]  # a character that prepare() might have to change

    def encode(self, text: str) -> bytes:
        """Prepared text as the printer's bytes; a no-break space is sent as a space (0x20)."""
        return codecs.charmap_encode(
            text.replace(NO_BREAK_SPACE, " "), "strict", self._encoding_map
        )[0]

    def prepare(self, text: str) -> str:
        """clean_text, then every character the code page lacks mapped to a look-alike or "?".

        A no-break space is kept (it holds a grouped number together) and printed as a space;
        an accent or stress mark the code page lacks is left out, so the letter prints plain.
        """
        if self._unsafe.search(text) is None and unicodedata.is_normalized("NFC", text):
            return text  # nothing to drop, map or compose: almost every line of a receipt
        out: list[str] = []
        characters = self.characters
        for char in clean_text(text):
            if char in characters or char == NO_BREAK_SPACE:
                out.append(char)
            elif unicodedata.category(char) in ("Mn", "Me"):
                continue
            else:
                out.extend(c if c in characters else "?" for c in _LOOK_ALIKES.get(char, "?"))
        return "".join(out)


@lru_cache(maxsize=16)
def code_page(name: str) -> CodePage:
    """The code page `name` from python-escpos' database (e.g. "CP866"); LookupError if unknown."""
    from escpos.magicencode import Encoder

    high = Encoder._get_codepage_char_list(name)  # characters of bytes 128..255, " " if none
    last = {char: byte for byte, char in enumerate(high, start=128)}  # python-escpos: last wins
    table = [chr(byte) for byte in range(128)]
    table += [
        char if ord(char) >= 128 and last[char] == byte else _UNDEFINED
        for byte, char in enumerate(high, start=128)
    ]
    characters = frozenset(char for char in table if char != _UNDEFINED)
    return CodePage(
        name=name,
        characters=characters,
        _encoding_map=codecs.charmap_build("".join(table)),
        _unsafe=_unsafe_pattern(characters),
    )


def _unsafe_pattern(characters: frozenset[str]) -> re.Pattern[str]:
    """A character clean_text might drop or change, or one the code page lacks.

    What is left to decide for text without one is composition (a letter and a combining
    accent), which prepare() leaves to unicodedata.is_normalized.
    """
    safe = sorted(
        char
        for char in characters | {NO_BREAK_SPACE}
        if char in (" ", NO_BREAK_SPACE) or unicodedata.category(char)[0] not in ("C", "Z")
    )
    return re.compile("[^" + "".join(re.escape(char) for char in safe) + "]")

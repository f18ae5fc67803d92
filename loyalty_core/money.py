"""Money and points as integers in minor units, with explicit rounding.

Floats never appear: amounts are ``int`` (kopecks, cents, points), shares are
basis points (1% = 100 bp), and every division names its rounding mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from loyalty_core.errors import DomainError

BP_PER_UNIT = 10_000  # basis points in 100%


class Rounding(StrEnum):
    HALF_UP = "half_up"  # halves away from zero: 2.5 -> 3, -2.5 -> -3
    HALF_EVEN = "half_even"  # banker's rounding: 2.5 -> 2, 3.5 -> 4
    DOWN = "down"  # toward zero
    UP = "up"  # away from zero


def div_round(numerator: int, denominator: int, mode: Rounding) -> int:
    """``numerator / denominator`` rounded to an integer by ``mode``."""
    if denominator == 0:
        raise ZeroDivisionError("division by zero in money arithmetic")
    if not isinstance(numerator, int) or not isinstance(denominator, int):
        raise TypeError("money arithmetic takes integers only")
    negative = (numerator < 0) != (denominator < 0)
    quotient, remainder = divmod(abs(numerator), abs(denominator))
    if remainder:
        twice = 2 * remainder
        den = abs(denominator)
        if mode is Rounding.UP:
            quotient += 1
        elif mode is Rounding.HALF_UP:
            quotient += twice >= den
        elif mode is Rounding.HALF_EVEN:
            quotient += twice > den or (twice == den and quotient % 2 == 1)
    return -quotient if negative else quotient


def share_bp(amount: int, bp: int, mode: Rounding) -> int:
    """``bp`` basis points of ``amount``: ``share_bp(1000, 3000, ...) == 300``."""
    return div_round(amount * bp, BP_PER_UNIT, mode)


def round_to_step(amount: int, step: int, mode: Rounding) -> int:
    """Round ``amount`` to a multiple of ``step`` (e.g. whole roubles: step 100)."""
    if step <= 1:
        return amount
    return div_round(amount, step, mode) * step


# What a cashier may type once spaces are gone and the comma is a point: digits, at
# most one point. (Decimal would also take "1e3" and "1_000", raise decimal.Overflow
# on "1e999999999" and round past 28 digits.)
_TYPED_AMOUNT = re.compile(r"(?P<whole>[0-9]*)(?:\.(?P<frac>[0-9]*))?")


class InvalidAmountError(DomainError):
    code = "money.invalid_amount"
    template = "'{text}' is not an amount of money."


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency and how many minor units make one major unit (10 ** exponent)."""

    code: str = "RUB"
    exponent: int = 2
    symbol: str = "₽"

    @property
    def minor_per_major(self) -> int:
        return int(10**self.exponent)

    def parse(self, text: str) -> int:
        """Parse what a cashier types ("12", "12.5", "12,50", "1 234,00") to minor units."""
        cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        typed = _TYPED_AMOUNT.fullmatch(cleaned)
        frac = (typed["frac"] or "").rstrip("0") if typed else ""
        if typed is None or not cleaned.strip(".") or len(frac) > self.exponent:
            raise InvalidAmountError(text=text)  # not digits, or finer than the minor unit
        try:
            whole = int(typed["whole"] or 0)
        except ValueError:  # more digits than int() reads
            raise InvalidAmountError(text=text) from None
        return whole * self.minor_per_major + int(frac.ljust(self.exponent, "0") or 0)

    def format(self, minor: int, *, symbol: bool = True, decimal_sep: str = ",") -> str:
        """``123456`` -> ``"1 234,56 ₽"``; thin grouping by spaces, as on Russian receipts."""
        sign = "-" if minor < 0 else ""
        major, frac = divmod(abs(minor), self.minor_per_major)
        text = f"{major:,}".replace(",", " ")
        if self.exponent:
            text += decimal_sep + str(frac).zfill(self.exponent)
        return f"{sign}{text} {self.symbol}" if symbol else sign + text


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` so the parts sum exactly to ``total``.

    Largest remainder: each part is rounded down, and the units left over go to
    the largest remainders, ties to the earlier weight. Deterministic, and no part
    exceeds its weight when ``0 <= total <= sum(weights)``.
    """
    whole = sum(weights)
    if total == 0 or whole == 0:
        return [0] * len(weights)
    if total < 0 or min(weights) < 0:
        raise ValueError("allocate takes a non-negative total and weights")
    if total == whole:
        return list(weights)
    parts = [total * weight // whole for weight in weights]
    short = total - sum(parts)
    if short:
        rests = [total * weight % whole for weight in weights]
        # sorted() is stable, also in reverse: equal remainders keep the earlier line first.
        for index in sorted(range(len(weights)), key=rests.__getitem__, reverse=True)[:short]:
            parts[index] += 1
    return parts


def allocate_cumulative(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` so that a larger total never gives less.

    For shares handed out in steps (a check returned line by line) each step's
    part is ``allocate_cumulative(after) - allocate_cumulative(before)``; largest
    remainder (``allocate``) can take a unit back from one weight as the total
    grows, which would charge that weight a unit. This is D'Hondt's highest
    averages: the parts are the ``total`` largest of ``weight / j`` (j = 1, 2, ...),
    ties to the earlier weight, found from the rounded-down quotas (never above
    these parts) plus fewer than ``len(weights)`` single units. Parts sum exactly to
    ``total`` and none exceeds its weight when ``0 <= total <= sum(weights)``.
    """
    whole = sum(weights)
    if total < 0 or min(weights, default=0) < 0:
        raise ValueError("allocate_cumulative takes a non-negative total and weights")
    if total > whole:
        raise ValueError("allocate_cumulative cannot hand out more than the weights hold")
    if total == whole:
        return list(weights)
    parts = [total * weight // whole for weight in weights]
    for _ in range(total - sum(parts)):
        # The next unit goes to the highest weight / (part + 1); compared as fractions.
        best = 0
        for index in range(1, len(weights)):
            if weights[index] * (parts[best] + 1) > weights[best] * (parts[index] + 1):
                best = index
        parts[best] += 1
    return parts

"""Promo codes and coupons: is a code usable now, for this customer, on this check?"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from loyalty_core.notes import Note, note
from loyalty_core.rules import LoyaltyRules, PromoCode, normalize_code


def check_promo(
    rules: LoyaltyRules,
    code: str,
    *,
    now: datetime,
    customer_uses: int | None,
    total_uses: int,
    check_net: int,
) -> PromoCode | Note:
    """The promo if it can be applied, else a note saying why not.

    ``customer_uses`` is ``None`` for an anonymous check; ``total_uses`` counts every
    customer's uses the till knows of (synced, plus its own unsynced sales).
    """
    wanted = normalize_code(code)
    promo = rules.promo(wanted)
    if promo is None:
        return note("promo.unknown", promo=wanted)
    zone = rules.zone
    if promo.valid_from is not None and now < promo.valid_from:
        return note(
            "promo.not_yet_valid",
            promo=wanted,
            date=promo.valid_from.astimezone(zone).date().isoformat(),
        )
    if promo.valid_until is not None and now >= promo.valid_until:
        return note(
            "promo.expired",
            promo=wanted,
            date=promo.valid_until.astimezone(zone).date().isoformat(),
        )
    if promo.max_uses is not None and total_uses >= promo.max_uses:
        return note("promo.used_up", promo=wanted)
    if promo.per_customer_limit is not None:
        if customer_uses is None:
            return note("promo.no_customer", promo=wanted)
        if customer_uses >= promo.per_customer_limit:
            return note("promo.customer_limit", promo=wanted, uses=customer_uses)
    if check_net < promo.min_check:
        return note("promo.min_check", promo=wanted, min_check=promo.min_check)
    return promo


def check_promos(
    rules: LoyaltyRules,
    codes: list[str],
    *,
    now: datetime,
    customer_uses: Mapping[str, int] | None,
    total_uses: Mapping[str, int],
    check_net: int,
) -> tuple[list[PromoCode], list[Note]]:
    accepted: list[PromoCode] = []
    notes: list[Note] = []
    seen: set[str] = set()
    for raw in codes:
        code = normalize_code(raw)
        if code in seen:
            notes.append(note("promo.duplicate", promo=code))
            continue
        seen.add(code)
        result = check_promo(
            rules,
            code,
            now=now,
            customer_uses=None if customer_uses is None else customer_uses.get(code, 0),
            total_uses=total_uses.get(code, 0),
            check_net=check_net,
        )
        if isinstance(result, Note):
            notes.append(result)
        else:
            accepted.append(result)
    return accepted, notes

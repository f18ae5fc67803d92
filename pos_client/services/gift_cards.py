"""A gift card handed over at the till: found, its PIN checked, and what it can pay.

The cashier types the card's number and the customer's PIN once; the sale then lists the
card's id and pricing takes as much as the card and the check allow, from the balance the
till projects from the card's ledger entries in the sale's own transaction (so a card is
never charged beyond what this till knows it holds). Wrong PINs are counted per card at
this till; after the rules' limit the card is locked here until staff reset it.
"""

from __future__ import annotations

from loyalty_core.cards import mask_card
from loyalty_core.giftcards import (
    GiftCardEmptyError,
    GiftCardNotFoundError,
    GiftCardPayment,
    WrongPinError,
    project_gift_card,
    verify_pin,
)
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.context import TillContext
from pos_client.services.messages import GiftCardOffer
from pos_client.services.rules import active_rules


def present_gift_card(
    number: str, pin: str, uow: SqliteUnitOfWork, ctx: TillContext
) -> GiftCardOffer:
    """Check the card and its PIN; a wrong PIN is counted (and committed) before it is refused."""
    number = "".join(number.split())
    now = ctx.clock()
    with uow:
        found = uow.gift_cards.by_number(number)
        if found is None:
            raise GiftCardNotFoundError(card=mask_card(number))
        card, failed = found
        rules = active_rules(uow, now)
        try:
            verify_pin(card, pin, failed_attempts=failed, policy=rules.gift_cards)
        except WrongPinError:
            uow.gift_cards.count_wrong_pin(card.id)
            uow.commit()
            raise
        uow.gift_cards.clear_wrong_pins(card.id)
        state = project_gift_card(card, uow.ledger.of_gift_card(card.id))
        uow.commit()
    refusal = state.usable(now, rules.zone)
    if refusal is not None:
        raise refusal
    if state.balance <= 0:
        raise GiftCardEmptyError(card=mask_card(card.number))
    return GiftCardOffer(card.id, mask_card(card.number), state.balance, card.expires_at)


def gift_card_payments(
    uow: SqliteUnitOfWork, gift_card_ids: tuple[str, ...]
) -> list[GiftCardPayment]:
    """The cards of a sale, with their balance as the till knows it now (in ``uow``)."""
    payments = []
    for gift_card_id in gift_card_ids:
        card = uow.gift_cards.get(gift_card_id)
        if card is not None:
            state = project_gift_card(card, uow.ledger.of_gift_card(gift_card_id))
            payments.append(GiftCardPayment(state))
    return payments

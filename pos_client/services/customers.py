"""Identify, find and register customers; reissue lost cards."""

from __future__ import annotations

from datetime import datetime, timedelta

from loyalty_core.bonuses import one_off_bonus_entry
from loyalty_core.cards import looks_like_card, mask_card
from loyalty_core.customers import (
    Card,
    CardStatus,
    Consent,
    ConsentRequiredError,
    Customer,
    CustomerNotFoundError,
    PhoneAlreadyRegisteredError,
    Questionnaire,
    UnknownCardError,
)
from loyalty_core.ids import new_id
from loyalty_core.ledger import BonusKind, LedgerEntry
from loyalty_core.phone import mask_phone, normalize_phone
from loyalty_core.pricing import current_tier
from loyalty_core.rules import LoyaltyRules
from loyalty_core.wallet import Wallet
from loyalty_core.wire.events import (
    CardReissuedV1,
    CardV1,
    ConsentV1,
    CustomerRegisteredV1,
    CustomerV1,
    dump,
)
from loyalty_core.wire.ledger import entries_of
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.context import TillContext
from pos_client.services.messages import CustomerSnapshot, RegisterCustomer
from pos_client.services.printing import queue_card
from pos_client.services.rules import active_rules
from pos_client.services.wallets import WalletCache


def identify(
    text: str, uow: SqliteUnitOfWork, ctx: TillContext, wallets: WalletCache
) -> CustomerSnapshot:
    """A scanned card or a phone number typed in any common format."""
    with uow:
        customer, card = find_customer(text, uow, ctx)
        return _snapshot(active_rules(uow), wallets.get(customer.id, uow), ctx, customer, card)


def find_customer(
    text: str, uow: SqliteUnitOfWork, ctx: TillContext
) -> tuple[Customer, Card | None]:
    """The customer of a card (which must be usable) or a phone, with their active card;
    inside the caller's unit of work."""
    if looks_like_card(text):
        number = ctx.card_codec.verify(text)
        card = uow.customers.card(number)
        if card is None:
            raise UnknownCardError(masked=mask_card(number))
        card.ensure_usable()
        customer = uow.customers.get(card.customer_id)
        if customer is None:
            raise UnknownCardError(masked=mask_card(number))
        return customer, card
    phone = normalize_phone(text, ctx.phone_region)
    found = uow.customers.by_phone(phone)
    if found is None:
        raise CustomerNotFoundError(masked=mask_phone(phone))
    return found, _active_card(uow, found.id)


def search(text: str, uow: SqliteUnitOfWork, limit: int = 20) -> list[Customer]:
    with uow:
        return uow.customers.search(text, limit)


def register(
    cmd: RegisterCustomer, uow: SqliteUnitOfWork, ctx: TillContext, wallets: WalletCache
) -> CustomerSnapshot:
    """Phone + consent, optional questionnaire; card, bonuses and outbox in one transaction."""
    phone = normalize_phone(cmd.phone, ctx.phone_region)
    if not cmd.consent:
        raise ConsentRequiredError()
    now = ctx.clock()
    answers = cmd.questionnaire.cleaned(now.date())
    with uow:
        if uow.customers.by_phone(phone) is not None:
            raise PhoneAlreadyRegisteredError(masked=mask_phone(phone))
        referrer = None
        if cmd.referrer_phone:
            referrer = uow.customers.by_phone(normalize_phone(cmd.referrer_phone, ctx.phone_region))
            if referrer is None:
                raise CustomerNotFoundError(masked=mask_phone(cmd.referrer_phone))
        rules = active_rules(uow)
        customer = Customer(
            id=new_id(),
            phone=phone,
            created_at=now,
            name=answers.name,
            birthday=answers.birthday,
            email=answers.email,
            heard_from=answers.heard_from,
            referrer_id=referrer.id if referrer else None,
        )
        consent = Consent(given_at=now)
        uow.customers.add(customer, staff_id=cmd.staff_id, till_id=ctx.till_id)
        uow.customers.add_consent(customer.id, consent, cmd.staff_id)
        card = None
        if cmd.issue_card:
            card = Card(ctx.card_codec.issue(), customer.id, CardStatus.ACTIVE, now)
            uow.customers.add_card(card)
        # A new customer has no ledger to load; the cache learns the wallet after the commit.
        wallet = Wallet(customer.id)
        entries = _registration_bonuses(rules, wallet, answers, now, ctx.till_id)
        uow.ledger.add(entries)
        uow.outbox.add(
            OutboxEvent(
                new_id(),
                CustomerRegisteredV1.KIND,
                customer.id,
                registered_payload(customer, consent, card, entries, cmd.staff_id, ctx.till_id),
                now,
            )
        )
        if card is not None:
            queue_card(uow, ctx, card.number, now)
        uow.commit()
    wallets.put(wallet)
    wallets.committed(entries)
    return _snapshot(rules, wallet, ctx, customer, card)


def reissue_card(customer_id: str, staff_id: str, uow: SqliteUnitOfWork, ctx: TillContext) -> Card:
    """A lost card: the old numbers stop working, a new one is issued."""
    now = ctx.clock()
    with uow:
        customer = uow.customers.get(customer_id)
        if customer is None:
            raise CustomerNotFoundError(masked="?")
        new = Card(ctx.card_codec.issue(), customer_id, CardStatus.ACTIVE, now)
        old = [c for c in uow.customers.cards_of(customer_id) if c.status is CardStatus.ACTIVE]
        for card in old:
            uow.customers.set_card_status(card.number, CardStatus.REPLACED, new.number)
        uow.customers.add_card(new)
        uow.outbox.add(
            OutboxEvent(
                new_id(),
                CardReissuedV1.KIND,
                customer_id,
                dump(
                    CardReissuedV1(
                        customer_id=customer_id,
                        card=new.number,
                        replaced=[c.number for c in old],
                        staff_id=staff_id,
                        till_id=ctx.till_id,
                        at=now,
                    )
                ),
                now,
            )
        )
        # A replaced card's print still waiting would hand the customer a dead card.
        uow.print_jobs.set_aside_cards(
            [c.number for c in old], f"card replaced by {mask_card(new.number)}", at=now
        )
        queue_card(uow, ctx, new.number, now)
        uow.commit()
    return new


def registered_payload(
    customer: Customer,
    consent: Consent,
    card: Card | None,
    entries: list[LedgerEntry],
    staff_id: str,
    till_id: str,
) -> dict[str, object]:
    return dump(
        CustomerRegisteredV1(
            customer=CustomerV1.of(customer),
            consent=ConsentV1.of(consent),
            card=CardV1.of(card) if card else None,
            entries=entries_of(entries),
            staff_id=staff_id,
            till_id=till_id,
        )
    )


def _registration_bonuses(
    rules: LoyaltyRules, wallet: Wallet, answers: Questionnaire, now: datetime, till_id: str
) -> list[LedgerEntry]:
    kinds = [BonusKind.WELCOME]
    if answers.is_complete:
        kinds.append(BonusKind.QUESTIONNAIRE)
    entries = []
    for kind in kinds:
        entry = one_off_bonus_entry(
            rules, kind, wallet=wallet, event_id=wallet.customer_id, now=now, till_id=till_id
        )
        if entry is not None:
            entries.append(entry)
    return entries


def _active_card(uow: SqliteUnitOfWork, customer_id: str) -> Card | None:
    cards = [c for c in uow.customers.cards_of(customer_id) if c.status is CardStatus.ACTIVE]
    return cards[-1] if cards else None


def _snapshot(
    rules: LoyaltyRules,
    wallet: Wallet,
    ctx: TillContext,
    customer: Customer,
    card: Card | None,
) -> CustomerSnapshot:
    now = ctx.clock()
    tier = current_tier(rules, wallet, now)
    return CustomerSnapshot(
        customer=customer,
        card_number=card.number if card else None,
        tier_code=tier.code,
        tier_name=tier.name,
        balance=wallet.balance(now, expiring_within=timedelta(days=30)),
    )

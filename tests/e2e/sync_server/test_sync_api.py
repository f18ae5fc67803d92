"""Push and pull over real HTTP on SQLite and PostgreSQL: exactly once, each conflict
settled with worked numbers, refusals that change nothing, and a gap-free pull."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loyalty_core.giftcards import GiftCard, hash_pin
from loyalty_core.ids import new_id
from loyalty_core.rules import LoyaltyRules, PromoCode, PromoKind, default_rules
from loyalty_core.wire.sync import PullResponseV1, entry_of_row
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.models import GiftCard as GiftCardRow
from sync_server.adapters.models import LedgerEntry, ReceivedEvent, Sale
from sync_server.services.clock import utc_now
from sync_server.services.setup import add_gift_card, load_gift_card, publish_rules
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.e2e.sync_server.sync_support import ADMIN_TOKEN, T0, Till, admin_get, enroll, operator

RULES: LoyaltyRules = default_rules().model_copy(
    update={
        "promos": (
            *default_rules().promos,
            PromoCode(code="ONCE", kind=PromoKind.FIXED, value=10_000, max_uses=1),
        )
    }
)
CARD = GiftCard(new_id(), "7000111122223333", hash_pin("1234"), T0 + timedelta(days=365))


@dataclass
class World:
    base_url: str
    settings: ServerSettings
    one: Till
    two: Till

    def count(self, model: type) -> int:
        engine = create_database_engine(self.settings.database_url)
        try:
            with Session(engine) as session:
                return session.scalar(select(func.count()).select_from(model)) or 0
        finally:
            engine.dispose()

    def admin(self, path: str, **params: object) -> object:
        return admin_get(self.base_url, path, **params)


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    settings = ServerSettings(database_url=database_url, admin_token=ADMIN_TOKEN)
    with running_server(settings) as base_url:
        with operator(settings) as uow:
            publish_rules(RULES, uow, now=utc_now())
        one = enroll(base_url, settings, RULES, "Main street", "Till 1")
        two = enroll(base_url, settings, RULES, "Main street", "Till 2")
        yield World(base_url, settings, one, two)


def statuses(answer: dict[str, object]) -> list[str]:
    return [r["status"] for r in answer["results"]]  # type: ignore[index, attr-defined]


def a_customer_with_300_00(world: World) -> str:
    customer = world.one.register("+79161112233")
    world.one.give(customer, 30_000)
    assert statuses(world.one.push()) == ["applied", "applied"]
    world.two.learn(world.one)
    return customer


def test_the_same_batch_twice_and_an_event_twice_in_a_batch_apply_once(world: World) -> None:
    customer = a_customer_with_300_00(world)
    world.one.sell(customer, 100_000, at=T0 + timedelta(hours=1), redeem=10_000)
    batch = list(world.one.outbox)
    entries_before = world.count(LedgerEntry)

    first = world.one.push([*batch, batch[0]])
    again = world.one.push(batch)

    assert statuses(first) == ["applied", "duplicate"]
    assert statuses(again) == ["duplicate"]
    assert world.count(Sale) == 1
    assert world.count(LedgerEntry) == entries_before + len(world.one.ledger) - 1
    assert world.one.balance(customer)["available"] == 20_000


def test_two_tills_spending_the_same_300_00_keep_both_sales_and_record_a_300_00_debt(
    world: World,
) -> None:
    customer = a_customer_with_300_00(world)
    world.one.sell(customer, 100_000, at=T0 + timedelta(hours=1), redeem=30_000)
    world.two.sell(customer, 100_000, at=T0 + timedelta(hours=2), redeem=30_000)

    first, second = world.one.push(), world.two.push()

    assert statuses(first) == statuses(second) == ["applied"]
    assert first["results"][0]["settlements"] == []
    settlement = second["results"][0]["settlements"][0]
    assert (settlement["kind"], settlement["points"]) == ("overdraft", 30_000)
    assert world.count(Sale) == 2
    balance = world.one.balance(customer)
    assert (balance["available"], balance["debt"]) == (0, 30_000)
    debts = world.admin("/v1/manage/debts")["debts"]  # type: ignore[index]
    assert [(d["customer_id"], d["points"]) for d in debts] == [(customer, 30_000)]


def test_one_receipt_returned_at_two_tills_refunds_twice_but_mints_no_bonus(world: World) -> None:
    customer = a_customer_with_300_00(world)
    sale_id, receipt = world.one.sell(customer, 100_000, at=T0 + timedelta(hours=1), redeem=30_000)
    world.one.push()
    world.two.learn(world.one)
    assert world.one.balance(customer)["available"] == 0

    world.one.return_all(sale_id, receipt, at=T0 + timedelta(hours=2))
    world.two.return_all(sale_id, receipt, at=T0 + timedelta(hours=3))
    assert statuses(world.one.push()) == ["applied"]
    second = world.two.push()

    assert statuses(second) == ["applied"]
    settlement = second["results"][0]["settlements"][0]
    assert settlement["kind"] == "return_twice"
    assert settlement["amount"] == receipt.to_pay  # 700.00 refunded again, recorded
    balance = world.one.balance(customer)
    # The 300.00 came back once; the second return restores nothing and takes nothing.
    assert (balance["available"], balance["pending"], balance["debt"]) == (30_000, 0, 0)


def test_a_single_use_promo_used_at_two_tills_keeps_both_sales_and_records_the_over_use(
    world: World,
) -> None:
    anna, boris = world.one.register("+79162220001"), world.one.register("+79162220002")
    world.one.push()
    world.two.learn(world.one)
    world.one.sell(anna, 100_000, at=T0 + timedelta(hours=1), promo_codes=("ONCE",))
    world.two.sell(boris, 100_000, at=T0 + timedelta(hours=2), promo_codes=("ONCE",))

    first, second = world.one.push(), world.two.push()

    assert statuses(first) == statuses(second) == ["applied"]
    assert first["results"][0]["settlements"] == []
    settlement = second["results"][0]["settlements"][0]
    assert (settlement["kind"], settlement["promo_code"]) == ("promo_overuse", "ONCE")
    assert world.count(Sale) == 2
    overused = world.admin("/v1/manage/promos/overused")["settlements"]  # type: ignore[index]
    assert [s["promo_code"] for s in overused] == ["ONCE"]


def test_a_gift_card_spent_at_two_tills_beyond_its_balance_records_a_gift_card_debt(
    world: World,
) -> None:
    with operator(world.settings) as uow:
        add_gift_card(CARD, uow, now=T0)
    with operator(world.settings) as uow:
        load_gift_card(CARD, 30_000, new_id(), RULES.version, uow, now=T0)
    page = PullResponseV1.model_validate(world.one.get("/v1/sync/pull", cursor=0).json())
    loaded = [entry_of_row(row) for row in page.ledger]
    assert [(e.kind, e.gift_card_id, e.amount) for e in loaded] == [
        ("gift_card_load", CARD.id, 30_000)
    ]
    assert [g.number for g in page.gift_cards] == [CARD.number]

    for till in (world.one, world.two):
        till.ledger += loaded
        till.sell(None, 30_000, at=T0 + timedelta(hours=1), gift_card=CARD)

    first, second = world.one.push(), world.two.push()

    assert statuses(first) == statuses(second) == ["applied"]
    settlement = second["results"][0]["settlements"][0]
    assert (settlement["kind"], settlement["amount"]) == ("gift_card_overdraw", 30_000)
    engine = create_database_engine(world.settings.database_url)
    with Session(engine) as session:
        assert session.get_one(GiftCardRow, CARD.id).debt_minor == 30_000
    engine.dispose()


def test_one_phone_registered_at_two_tills_is_one_customer_and_the_other_id_an_alias(
    world: World,
) -> None:
    first_id = world.one.register("+79165554433", card="2000000000001")
    second_id = world.two.register("+79165554433", card="2000000000002")
    world.two.give(second_id, 5_000)

    world.one.push()
    answer = world.two.push()

    assert statuses(answer) == ["applied", "applied"]
    assert answer["results"][0]["settlements"][0]["kind"] == "customer_merged"
    assert world.one.balance(second_id)["customer_id"] == first_id  # the alias resolves
    assert world.one.balance(first_id)["available"] == 5_000  # both tills' ledger kept
    page = world.two.get("/v1/sync/pull", cursor=0).json()
    assert [row[0] for row in page["customers"]] == [first_id]
    assert page["aliases"] == [[second_id, first_id]]
    assert sorted(row[0] for row in page["cards"]) == ["2000000000001", "2000000000002"]
    assert {row[1] for row in page["cards"]} == {first_id}
    merges = world.admin("/v1/manage/merges")["settlements"]  # type: ignore[index]
    assert [(m["alias_id"], m["customer_id"]) for m in merges] == [(second_id, first_id)]


def test_rejected_events_are_kept_listed_change_nothing_else_and_can_be_retried(
    world: World,
) -> None:
    stranger = new_id()
    world.one.give(stranger, 1_000)  # a customer the server never heard of
    event = world.one.outbox[0]
    answer = world.one.push()
    again = world.one.push([event])

    result = answer["results"][0]
    assert (result["status"], result["code"]) == ("rejected", "customer.unknown")
    assert statuses(again) == ["rejected"]
    assert world.count(LedgerEntry) == 0
    listed = world.admin("/v1/manage/events/rejected")["events"]  # type: ignore[index]
    assert [(e["event_id"], e["code"]) for e in listed] == [(event["event_id"], "customer.unknown")]

    # The fix: the customer's registration arrives (under the id the event names).
    from loyalty_core.wire.events import ConsentV1, CustomerRegisteredV1, CustomerV1, dump

    registration = CustomerRegisteredV1(
        customer=CustomerV1(id=stranger, phone="+79160001122", created_at=T0),
        consent=ConsentV1(given_at=T0, text_version="2026-01", channel="till"),
        card=None,
        entries=[],
        staff_id=new_id(),
        till_id=world.one.till_id,
    )
    world.one._event("customer.registered", stranger, T0, registration)
    world.one.push()
    retried = requests.post(
        f"{world.base_url}/v1/manage/events/{event['event_id']}/retry",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        timeout=30,
    )
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "applied"
    assert world.one.balance(stranger)["available"] == 1_000
    assert world.admin("/v1/manage/events/rejected")["events"] == []  # type: ignore[index]
    del dump


def test_an_event_of_another_till_or_of_an_unknown_version_is_rejected(world: World) -> None:
    customer = world.two.register("+79160009988")
    foreign = world.two.outbox[0]
    versioned = {**foreign, "event_id": new_id(), "payload": {**foreign["payload"], "v": 9}}

    answer = world.one.push([foreign, versioned])

    assert [r["code"] for r in answer["results"]] == [
        "event.other_till",
        "event.unsupported_version",
    ]
    assert world.count(ReceivedEvent) == 2
    assert world.one.get(f"/v1/sync/customers/{customer}/balance").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, None),
        (b'{"v": 1, "events": []}', 422, "request.invalid"),
        (b'{"v": 2, "events": [1]}', 422, "request.invalid"),
    ],
)
def test_bad_requests_are_refused_with_errorv1_and_change_nothing(
    world: World, body: bytes, status: int, code: str | None
) -> None:
    answer = requests.post(
        f"{world.base_url}/v1/sync/push",
        data=body,
        headers={**world.one.headers, "Content-Type": "application/json"},
        timeout=30,
    )

    assert answer.status_code == status
    assert set(answer.json()) == {"code", "message"}
    if code:
        assert answer.json()["code"] == code
    assert world.count(ReceivedEvent) == 0


def test_an_oversized_batch_and_a_revoked_credential_are_refused(world: World) -> None:
    customer = world.one.register("+79160007766")
    events = world.one.outbox * 1001
    too_many = world.one.post("/v1/sync/push", {"v": 1, "events": events})
    assert too_many.status_code in (413, 422)
    from tests.e2e.sync_server.server_admin import revoke

    revoke(world.settings, world.one.till_id)
    refused = world.one.post("/v1/sync/push", {"v": 1, "events": world.one.outbox})
    assert refused.status_code == 401
    assert refused.json()["code"] == "auth.credential_revoked"
    assert world.count(ReceivedEvent) == 0
    assert customer


def test_a_till_pulls_in_pages_from_a_gap_free_cursor_and_resumes_after_a_cut(
    world: World,
) -> None:
    for n in range(7):
        world.one.register(f"+7916100{n:04d}")
    world.one.push()
    cursor, seen, pages = 0, [], 0
    while True:
        page = world.two.get("/v1/sync/pull", cursor=cursor, limit=3).json()
        seen += [row[0] for row in page["customers"]]
        pages += 1
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break

    assert len(seen) == len(set(seen)) == 7
    assert pages >= 3
    again = world.two.get("/v1/sync/pull", cursor=cursor).json()
    assert (again["customers"], again["has_more"], again["next_cursor"]) == ([], False, cursor)
    assert again["store"]["redemption_policy"] == "offline_limit"
    assert [r["version"] for r in world.two.get("/v1/sync/pull", cursor=0).json()["rules"]] == [1]
    bad = world.two.get("/v1/sync/pull", cursor=cursor + 1000)
    assert (bad.status_code, bad.json()["code"]) == (422, "pull.invalid_cursor")


def test_a_till_clock_far_off_is_flagged_to_managers(world: World) -> None:
    world.one.register("+79160004455", at=utc_now() + timedelta(hours=3))

    answer = world.one.push()

    assert answer["clock_flagged"] is True
    assert answer["clock_skew_s"] >= 3 * 3600 - 60
    tills = world.admin("/v1/manage/clocks")["tills"]  # type: ignore[index]
    assert [t["till_id"] for t in tills] == [world.one.till_id]


def test_the_managers_api_needs_its_token(world: World) -> None:
    answer = requests.get(f"{world.base_url}/v1/manage/debts", timeout=30)
    assert (answer.status_code, answer.json()["code"]) == (401, "auth.admin_refused")

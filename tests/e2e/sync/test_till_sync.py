"""A till enrolled with a real server pulls its store, sells, and its sale reaches the server
exactly once; a customer registered at one till is found at another."""

from __future__ import annotations

import socket
import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loyalty_core.errors import DomainError
from loyalty_core.staff import Role
from pos_client.admin_cli import main as admin_main
from pos_client.records import EventStatus
from pos_client.services.enrollment import SERVER_URL_KEY
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer
from pos_client.services.sync import SyncService
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.models import ReceivedEvent, Sale
from tests.e2e.sync.conftest import CASHIER_PIN, MILK, Store
from tests.e2e.sync_server.sync_support import admin_get


def _count(store: Store, model: type) -> int:
    engine = create_database_engine(store.settings.database_url)
    try:
        with Session(engine) as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def test_a_new_till_pulls_its_store_then_its_sale_reaches_the_server_once(store: Store) -> None:
    till = store.till("till-1")
    first = till.sync.sync_now()
    assert first.pages >= 1 and first.pulled_rows >= 4  # rules, the cashier, two products
    sv = till.services
    staff = sv.staff_list()
    assert [(s.id, s.name, s.role) for s in staff] == [(store.cashier_id, "Анна", Role.CASHIER)]
    assert sv.log_in(store.cashier_id, CASHIER_PIN).name == "Анна"
    milk = sv.product(MILK[0])
    assert (milk.name, milk.price) == (MILK[1], MILK[2])

    sale = sv.checkout(
        CheckoutRequest((CartItem(milk.barcode, milk.name, milk.price),), store.cashier_id)
    )
    assert sv.sync_state(sale.sale_id).status is EventStatus.QUEUED  # type: ignore[union-attr]
    pushed = till.sync.sync_now().pushed
    assert (pushed.sent, pushed.applied, pushed.rejected) == (1, 1, 0)
    assert sv.sync_state(sale.sale_id).status is EventStatus.APPLIED  # type: ignore[union-attr]
    assert _count(store, Sale) == 1

    assert till.sync.sync_now().pushed.sent == 0  # nothing left to send

    # The till stopped after the server applied the batch but before it kept the answer.
    database = till.settings.resolved_database_path
    conn = sqlite3.connect(database)
    with conn:
        conn.execute(
            "UPDATE outbox SET status = 'queued', confirmed_at = NULL WHERE kind = 'sale.completed'"
        )
    conn.close()
    again = till.sync.sync_now().pushed
    assert (again.sent, again.applied, again.duplicate) == (1, 0, 1)
    # One sale, received once; the other received event is the shift's opening.
    assert (_count(store, Sale), _count(store, ReceivedEvent)) == (1, 2)
    assert sv.sync_state(sale.sale_id).status is EventStatus.DUPLICATE  # type: ignore[union-attr]
    assert till.sync.counts() == (0, 0)


def test_a_customer_registered_at_one_till_is_identified_at_another(store: Store) -> None:
    one, two = store.till("till-1"), store.till("till-2")
    one.sync.sync_now()
    two.sync.sync_now()
    vera = one.services.register_customer(
        RegisterCustomer("+7 912 555-44-33", True, store.cashier_id)
    )
    assert one.sync.sync_now().pushed.applied == 1
    two.sync.sync_now()
    found = two.services.identify("+79125554433")
    assert found.customer.id == vera.customer.id
    assert found.card_number == vera.card_number
    assert found.balance.available == vera.balance.available
    card = found.card_number
    assert card is not None
    assert two.services.identify(card).customer.id == vera.customer.id


def test_pos_admin_sync_pushes_and_pulls_once_and_says_what_it_did(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    till = store.till("till-1")
    data_dir = str(till.settings.data_dir)
    till.close()
    store.tills.remove(till)
    assert admin_main(["--data-dir", data_dir, "sync"]) == 0
    out = capsys.readouterr().out
    progress, summary = out.rstrip("\n").split("\n")
    assert progress.endswith(" rows, done") and progress.startswith("\rpulling from the server: ")
    assert summary.startswith("pushed 0 events (0 applied, 0 duplicate, 0 rejected); pulled ")
    assert out.rstrip().endswith("waiting 0, refused by the server 0")
    assert admin_main(["--data-dir", data_dir, "sync"]) == 0
    assert "pulled 0 rows in 1 pages" in capsys.readouterr().out


def test_a_card_reissued_at_one_till_stops_working_at_every_till_after_sync(
    store: Store,
) -> None:
    one, two = store.till("till-1"), store.till("till-2")
    one.sync.sync_now()
    vera = one.services.register_customer(
        RegisterCustomer("+7 912 555-44-33", True, store.cashier_id)
    )
    old_card = vera.card_number
    assert old_card is not None
    one.sync.sync_now()
    two.sync.sync_now()
    assert two.services.identify(old_card).customer.id == vera.customer.id

    new_card = one.services.reissue_card(vera.customer.id, store.cashier_id)
    assert one.sync.sync_now().pushed.applied == 1
    two.sync.sync_now()
    with pytest.raises(DomainError) as refused:
        two.services.identify(old_card)
    assert refused.value.code == "card.inactive"
    assert two.services.identify(new_card.number).customer.id == vera.customer.id


def test_one_phone_registered_at_two_offline_tills_becomes_one_customer_at_both(
    store: Store,
) -> None:
    one, two = store.till("till-1"), store.till("till-2")
    one.sync.sync_now()
    two.sync.sync_now()
    # Both offline: each registers the same phone and sells to its own new customer.
    first = one.services.register_customer(
        RegisterCustomer("+7 916 111-22-33", True, store.cashier_id)
    )
    second = two.services.register_customer(
        RegisterCustomer("+7 916 111-22-33", True, store.cashier_id)
    )
    assert first.customer.id != second.customer.id
    milk = CartItem(MILK[0], MILK[1], MILK[2])
    one.services.checkout(CheckoutRequest((milk,), store.cashier_id, first.customer.id))
    two.services.checkout(CheckoutRequest((milk,), store.cashier_id, second.customer.id))

    one.sync.sync_now()  # arrives first: its id is kept
    two.sync.sync_now()  # merged into the first; learns it by pull
    one.sync.sync_now()
    kept = first.customer.id
    for till in (one, two):
        found = till.services.identify("+79161112233")
        assert found.customer.id == kept
        assert till.services.identify(second.card_number or "").customer.id == kept
    # Both tills see the same balance: both purchases, one welcome bonus.
    balances = {till.services.identify("+79161112233").balance.available for till in (one, two)}
    assert len(balances) == 1
    with two.services.uows.reading() as uow:  # the merged id still resolves
        merged = uow.customers.get(second.customer.id)
    assert merged is not None and merged.id == kept


def test_a_till_whose_clock_runs_an_hour_ahead_is_flagged_to_managers(store: Store) -> None:
    till = store.till("till-1")
    right = till.services.ctx
    ahead = replace(right, clock=lambda: right.clock() + timedelta(hours=1))
    sync = SyncService(till.services.uows, ahead, till.services.wallets)
    try:
        sync.sync_now()
        till.services.register_customer(
            RegisterCustomer("+7 912 000-11-22", True, store.cashier_id)
        )
        sync.sync_now()
    finally:
        sync.close()
    clocks = admin_get(store.url, "/v1/manage/clocks")["tills"]
    assert [c["till_id"] for c in clocks] == [right.till_id]
    assert 3_540 <= clocks[0]["clock_skew_s"] <= 3_660


def test_a_bootstrap_one_row_a_page_fetches_ahead_and_lands_the_same_as_one_page(
    store: Store,
) -> None:
    whole = store.till("till-1")
    whole_round = whole.sync.sync_now()
    paged = store.till("till-2")
    written: list[int] = []
    sync = SyncService(
        paged.services.uows,
        paged.services.ctx,
        paged.services.wallets,
        pull_limit=1,
        after_page=lambda: written.append(sync.cursor()),  # the WAL checkpointer's nudge
    )
    try:
        seen: list[tuple[int, bool]] = []
        round_ = sync.sync_now(on_page=lambda rows, more: seen.append((rows, more)))
        assert round_.pulled_rows == whole_round.pulled_rows
        # One row a page: each page its own, and the two tills' shift openings the server
        # received are feed rows too (events the till keeps no copy of).
        assert round_.pages == whole_round.pulled_rows + 2
        assert [more for _rows, more in seen] == [True] * (round_.pages - 1) + [False]
        assert [rows for rows, _more in seen] == sorted(rows for rows, _more in seen)
        assert seen[-1][0] == round_.pulled_rows
        assert len(written) == round_.pages  # told after each page, once it was committed
        # The first till pulls again: nothing for it (the other till's shift is not its row),
        # and both stand at the same place in the feed.
        assert whole.sync.sync_now().pulled_rows == 0
        assert written == sorted(set(written)) and written[-1] == whole.sync.cursor()
        assert sync.cursor() == whole.sync.cursor()
        assert [s.name for s in paged.services.staff_list()] == ["Анна"]
        assert paged.services.product(MILK[0]).price == MILK[2]
        assert sync.sync_now().pulled_rows == 0  # nothing left: every page was applied once
    finally:
        sync.close()


def test_a_page_that_does_not_start_at_the_tills_cursor_is_refused_and_changes_nothing(
    store: Store,
) -> None:
    till = store.till("till-1")
    till.sync.sync_now()
    cursor = till.sync.cursor()
    assert cursor > 0
    stale = till.sync.fetch(0)  # the whole feed again, as a second puller would get it
    with pytest.raises(DomainError) as refused:
        till.sync.apply(stale)
    assert refused.value.code == "sync.stale_page"
    assert f"starts at 0, but this till's copy ends at {cursor}" in refused.value.message
    assert till.sync.cursor() == cursor
    assert till.sync.sync_now().pulled_rows == 0


def test_bootstrap_progress_counts_the_rows_so_far_and_starts_again_once_caught_up(
    store: Store,
) -> None:
    till = store.till("till-1")
    sync = SyncService(till.services.uows, till.services.ctx, till.services.wallets, pull_limit=2)
    try:
        done: list[tuple[int, int, bool]] = []
        while True:
            outcome = sync.apply(sync.fetch(sync.cursor()))
            done.append((outcome.rows, outcome.done, outcome.has_more))
            if not outcome.has_more:
                break
        # Rows so far while more come, each page adding its own; 0 once caught up.
        running = 0
        for rows, so_far, more in done[:-1]:
            running += rows
            assert (so_far, more) == (running, True)
        assert done[-1][1:] == (0, False)
        assert running + done[-1][0] >= 4  # rules, the cashier, two products
    finally:
        sync.close()


def test_a_round_stops_after_max_pages_and_the_next_one_goes_on_from_there(store: Store) -> None:
    till = store.till("till-1")
    sync = SyncService(till.services.uows, till.services.ctx, till.services.wallets, pull_limit=1)
    try:
        first = sync.sync_now(max_pages=2)
        assert (first.pages, first.pulled_rows) == (2, 2)
        rest = sync.sync_now()
        assert rest.pulled_rows >= 2  # the cashier and the products were still to come
        assert sync.sync_now().pulled_rows == 0
        assert [s.name for s in till.services.staff_list()] == ["Анна"]
    finally:
        sync.close()


def test_a_round_counts_what_the_server_rejected_and_a_failed_send_says_so(store: Store) -> None:
    till = store.till("till-1")
    till.sync.sync_now()
    sv = till.services
    milk = sv.product(MILK[0])
    sale = sv.checkout(
        CheckoutRequest((CartItem(milk.barcode, milk.name, milk.price),), store.cashier_id)
    )
    conn = sqlite3.connect(till.settings.resolved_database_path)
    with conn:  # a payload of a schema version the server does not know
        conn.execute("UPDATE outbox SET payload = json_set(payload, '$.v', 99)")
    conn.close()
    pushed = till.sync.sync_now().pushed
    assert (pushed.sent, pushed.applied, pushed.rejected) == (1, 0, 1)
    state = sv.sync_state(sale.sale_id)
    assert state is not None
    assert (state.status, state.error_code) == (EventStatus.REJECTED, "event.unsupported_version")
    assert state.confirmed_at is not None
    assert till.sync.counts() == (0, 1)

    again = sv.checkout(
        CheckoutRequest((CartItem(milk.barcode, milk.name, milk.price),), store.cashier_id)
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with sv.uows.writing() as uow:
        uow.state.set(SERVER_URL_KEY, closed)
        uow.commit()
    till.sync.close()
    with pytest.raises(DomainError):
        till.sync.sync_now()
    waiting = sv.sync_state(again.sale_id)
    assert waiting is not None
    assert (waiting.status, waiting.error_message) == (EventStatus.QUEUED, "send failed")

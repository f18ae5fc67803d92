"""The sync issues page of the dashboard: a store manager sees what their own stores' tills
sent that the server refused or flagged, an owner sees every store and customers' debts
(with the phone masked)."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from loyalty_core.ids import new_id
from sync_server.adapters.models import Customer, CustomerDebt, ReceivedEvent, Till
from tests.e2e.dashboard.conftest import Served
from tests.e2e.dashboard.test_dashboard_http import TIMEOUT_S, _signed_in
from tests.integration.sync_server.report_support import NOW


def _issues(served: Served) -> None:
    chain = served.chain
    with chain.uow() as uow:
        s = uow.session
        tills = dict(s.execute(select(Till.store_id, Till.id)).all())
        for store, message in ((chain.arbat, "Арбат refused"), (chain.vladivostok, "East refused")):
            s.execute(
                insert(ReceivedEvent).values(
                    event_id=new_id(),
                    till_id=tills[store],
                    store_id=store,
                    kind="sale.completed",
                    aggregate_id=new_id(),
                    status="rejected",
                    code="sale.unknown_staff",
                    message=message,
                    created_at=NOW,
                    received_at=NOW,
                    attempts=2,
                )
            )
        s.execute(
            update(Till)
            .where(Till.id == tills[chain.vladivostok])
            .values(clock_skew_s=900, clock_flagged_at=NOW)
        )
        customer = s.scalars(select(Customer.id).where(Customer.phone == "+79160000001")).one()
        s.execute(
            insert(CustomerDebt).values(
                customer_id=customer, points=500, highest_points=700, updated_at=NOW
            )
        )
        uow.commit()


def test_a_store_manager_sees_their_stores_issues_and_no_debts(served: Served) -> None:
    _issues(served)
    page = _signed_in(served, "arbat").get(
        f"{served.url}/dashboard/sync?lang=en", timeout=TIMEOUT_S
    )
    assert page.status_code == 200
    assert "Арбат refused" in page.text and "East refused" not in page.text
    assert 'id="clocks"' not in page.text  # the far-off clock is another store's till
    assert "bonus debts" not in page.text and "0001" not in page.text


def test_an_owner_sees_every_store_and_the_debts_masked(served: Served) -> None:
    _issues(served)
    owner = _signed_in(served, "owner")
    page = owner.get(f"{served.url}/dashboard/sync?lang=en", timeout=TIMEOUT_S)
    assert "Арбат refused" in page.text and "East refused" in page.text
    assert 'id="clocks"' in page.text and ">900<" in page.text
    assert "•••0001" in page.text and "+79160000001" not in page.text
    assert ">5.00<" in page.text  # 500 points owed, shown as the money is
    east = owner.get(
        f"{served.url}/dashboard/sync",
        params={"lang": "en", "store": served.chain.vladivostok},
        timeout=TIMEOUT_S,
    )
    assert "East refused" in east.text and "Арбат refused" not in east.text


def test_another_stores_issues_are_refused_to_a_store_manager(served: Served) -> None:
    _issues(served)
    refused = _signed_in(served, "arbat").get(
        f"{served.url}/dashboard/sync",
        params={"lang": "en", "store": served.chain.vladivostok},
        timeout=TIMEOUT_S,
    )
    assert refused.status_code == 403 and "East refused" not in refused.text

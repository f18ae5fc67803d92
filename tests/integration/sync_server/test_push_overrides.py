"""A manager's override, as the server takes it from a till: kept in the audit log with who
allowed what, for whom, why and when; an id that is not a UUID is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from loyalty_core.ids import new_id
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.wire.events import OverrideRecordedV1
from sync_server.adapters.models import Override
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, two_tills

RULES: LoyaltyRules = default_rules()
AT = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def _override(shop: Store, manager: str) -> OverrideRecordedV1:
    override = OverrideRecordedV1(
        override_id=new_id(),
        till_id=shop.one.till_id,
        manager_id=manager,
        staff_id=new_id(),
        action="return_above_limit",
        subject_id=new_id(),
        amount=599_600,
        reason="damaged box, checked",
        at=AT,
    )
    shop.one.event("override.recorded", override.override_id, AT, override)
    return override


def test_an_override_is_kept_with_who_what_why_and_when(shop: Store) -> None:
    sent = _override(shop, new_id())

    (result,) = shop.one.push(now=AT)

    assert (result.status, result.code) == ("applied", None)
    with shop.session() as session:
        (kept,) = session.scalars(select(Override))
    assert (kept.id, kept.till_id, kept.manager_id, kept.staff_id) == (
        sent.override_id,
        shop.one.till_id,
        sent.manager_id,
        sent.staff_id,
    )
    assert (kept.action, kept.subject_id, kept.amount_minor) == (
        "return_above_limit",
        sent.subject_id,
        599_600,
    )
    assert (kept.reason, kept.at) == ("damaged box, checked", AT)


def test_a_manager_id_that_is_not_a_uuid_is_refused_and_nothing_is_kept(shop: Store) -> None:
    _override(shop, "manager-1")

    (result,) = shop.one.push(now=AT)

    assert (result.status, result.code) == ("rejected", "event.invalid")
    with shop.session() as session:
        assert list(session.scalars(select(Override))) == []


@pytest.mark.parametrize("field", ["override_id", "manager_id", "subject_id"])
def test_each_id_that_is_not_a_uuid_is_refused_by_its_name(shop: Store, field: str) -> None:
    _override(shop, new_id())
    shop.one.outbox[-1]["payload"][field] = "not-an-id"

    (result,) = shop.one.push(now=AT)

    assert (result.status, result.code) == ("rejected", "event.invalid")
    assert result.message == f"{field} 'not-an-id' is not a UUID."
    with shop.session() as session:
        assert list(session.scalars(select(Override))) == []

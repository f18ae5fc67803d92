"""Operator commands on the server database, for ``sync-server enrollment-code`` and
``sync-server revoke-till``. They run beside the server, with its settings: the same
database URL and, for codes, the same secret key the server hashes them with."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from loyalty_core.errors import DomainError
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.migrate import upgrade_to_head
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.context import enrollment_code_key
from sync_server.services.clock import utc_now
from sync_server.services.demo_seed import seed_demo
from sync_server.services.enrollment import issue_enrollment_code
from sync_server.services.manager_auth import create_manager, set_store_timezone
from sync_server.services.manager_ports import ManagerRole
from sync_server.services.till_auth import revoke_till
from sync_server.services.unit_of_work import UnitOfWorkFactory
from sync_server.settings import Environment, ServerSettings

EXIT_REFUSED = 2
_TIME = "%Y-%m-%d %H:%M UTC"


def issue_code_command(settings: ServerSettings, store_name: str, ttl: timedelta) -> int:
    with _units_of_work(settings) as start_unit_of_work:
        try:
            issued = issue_enrollment_code(
                store_name,
                start_unit_of_work(),
                key=enrollment_code_key(settings),
                now=utc_now(),
                ttl=ttl,
            )
        except DomainError as error:
            return _refused(error)
    print(f"code: {issued.code}")
    print(f"store: {issued.store.name} ({issued.store.id})")
    print(f"expires: {issued.expires_at:{_TIME}}")
    print(
        "Enter it on the till within that time; it enrolls one till, once:\n"
        f"  pos-admin enroll --server URL --code {issued.code} --name 'Till 1'"
    )
    return 0


def revoke_till_command(settings: ServerSettings, till_id: str) -> int:
    with _units_of_work(settings) as start_unit_of_work:
        try:
            till = revoke_till(till_id, start_unit_of_work(), now=utc_now())
        except DomainError as error:
            return _refused(error)
    assert till.revoked_at is not None
    print(
        f"revoked till {till.name!r} ({till.id}) of store {till.store.name!r} "
        f"at {till.revoked_at:{_TIME}}; its credential no longer works"
    )
    return 0


def seed_demo_command(settings: ServerSettings, customers: int) -> int:
    """The demo store for ``python3 dev.py demo``: staff, catalogue, rules, customers."""
    with _units_of_work(settings) as start_unit_of_work:
        report = seed_demo(
            start_unit_of_work(),
            now=utc_now(),
            customers=customers,
            # The demo owner's password is in the README: not on a production server.
            dashboard_login=settings.environment is not Environment.PRODUCTION,
        )
    if report.seeded:
        print(
            f"demo store {report.store_name!r} ({report.store_id}) seeded: {report.staff} staff,"
            f" {report.products} products, {report.customers} customers"
        )
    else:
        print(f"demo store {report.store_name!r} ({report.store_id}) already seeded")
    return 0


PASSWORD_VARIABLE = "LOYALTY_MANAGER_PASSWORD"


def add_manager_command(
    settings: ServerSettings, login: str | None, name: str, role: str, stores: str
) -> int:
    """A login to the managers' dashboard; the password never goes on the command line."""
    if not login:
        return _refused_text("add-manager needs --login")
    store_names = [s.strip() for s in stores.split(",") if s.strip()]
    if role == ManagerRole.STORE_MANAGER and not store_names:
        return _refused_text("a store manager needs --stores (names, separated by commas)")
    password = os.environ.get(PASSWORD_VARIABLE) or getpass.getpass(f"password for {login}: ")
    with _units_of_work(settings) as start_unit_of_work:
        try:
            manager_id = create_manager(
                login,
                name,
                password,
                ManagerRole(role),
                store_names,
                start_unit_of_work(),
                now=utc_now(),
            )
        except DomainError as error:
            return _refused(error)
    seen = "every store" if role == ManagerRole.OWNER else ", ".join(store_names)
    print(f"manager {login.strip().casefold()!r} ({manager_id}) added: {role}, sees {seen}")
    return 0


def set_store_timezone_command(settings: ServerSettings, store: str | None, zone: str) -> int:
    if not store or not zone:
        return _refused_text("set-store-timezone needs --store and --timezone")
    with _units_of_work(settings) as start_unit_of_work:
        try:
            store_id = set_store_timezone(store, zone, start_unit_of_work())
        except DomainError as error:
            return _refused(error)
    print(f"store {store!r} ({store_id}): reports count its days in {zone}")
    return 0


def _refused_text(text: str) -> int:
    print(f"sync-server: {text}", file=sys.stderr)
    return EXIT_REFUSED


@contextmanager
def _units_of_work(settings: ServerSettings) -> Iterator[UnitOfWorkFactory]:
    engine = create_database_engine(settings.database_url)
    try:
        if settings.migrate_on_startup:
            upgrade_to_head(engine)
        sessions = session_factory(engine)
        yield lambda: SqlAlchemyUnitOfWork(sessions)
    finally:
        engine.dispose()


def _refused(error: DomainError) -> int:
    print(f"sync-server: {error.message}", file=sys.stderr)
    return EXIT_REFUSED


def report_command(settings: ServerSettings, limit: int = 50) -> int:
    """What managers should look at: rejected events, debts, settlements, flagged clocks."""
    from sync_server.services import manage

    with _units_of_work(settings) as start_unit_of_work:
        rejected = manage.rejected_events(start_unit_of_work(), None, limit)
        debts = manage.debts(start_unit_of_work(), limit)
        settled = manage.settlements(start_unit_of_work(), None, None, limit)
        clocks = manage.flagged_clocks(start_unit_of_work(), limit)
    print(f"rejected events: {len(rejected)}")
    for event in rejected:
        print(f"  {event.event_id} {event.kind} [{event.code}] {event.message}")
    print(f"customer debts: {len(debts)}")
    for debt in debts:
        print(f"  {debt.customer_id} owes {debt.points} points (highest {debt.highest_points})")
    print(f"settlements: {len(settled)}")
    for item in settled:
        print(f"  {item.kind}: {item.message}")
    print(f"tills with a clock far off: {len(clocks)}")
    for till in clocks:
        print(f"  {till.till_name} ({till.till_id}): {till.clock_skew_s} s")
    return 0


def retry_event_command(settings: ServerSettings, event_id: str) -> int:
    from sync_server.services.push import retry_event

    with _units_of_work(settings) as start_unit_of_work:
        try:
            result = retry_event(event_id, start_unit_of_work(), now=utc_now())
        except DomainError as error:
            return _refused(error)
    if result.status == "applied":
        print(f"event {event_id} applied")
        return 0
    print(f"event {event_id} still rejected: [{result.code}] {result.message}", file=sys.stderr)
    return EXIT_REFUSED

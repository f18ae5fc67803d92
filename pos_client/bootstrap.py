"""The composition root: settings in, a ready till out. Nothing is built at import time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from hardware import PrinterConfigError, ReceiptPrinter, open_printer
from loyalty_core.cards import CardNumberCodec
from loyalty_core.ids import new_id
from loyalty_core.staff import LockoutPolicy
from pos_client.adapters import migrate
from pos_client.adapters.sqlite_engine import TillEngines, create_till_engines
from pos_client.adapters.sync_client import SyncClient
from pos_client.adapters.unit_of_work import UnitOfWorkFactory
from pos_client.adapters.wal_checkpointer import WalCheckpointer
from pos_client.config import TillSettings
from pos_client.logs import configure_logging
from pos_client.services.context import TillContext
from pos_client.services.facade import TillServices
from pos_client.services.sync import ClientFactory, SyncService

log = logging.getLogger(__name__)
TILL_ID_KEY = "till_id"


@dataclass
class Till:
    settings: TillSettings
    engines: TillEngines
    services: TillServices
    checkpointer: WalCheckpointer
    sync: SyncService
    # The receipt printer of ``printer_url`` (None: none set up, or its settings are wrong,
    # and then ``printer_problem`` says why; receipts still queue and wait for it).
    printer: ReceiptPrinter | None = None
    printer_problem: str | None = None

    def close(self) -> None:
        self.sync.close()
        self.checkpointer.stop()
        self.engines.dispose()


def _till_id(uows: UnitOfWorkFactory) -> str:
    """This till's own id, made once on first start (enrollment will register it)."""
    with uows.writing() as uow:
        till_id = uow.state.get(TILL_ID_KEY)
        if till_id is None:
            till_id = new_id()
            uow.state.set(TILL_ID_KEY, till_id)
            uow.commit()
        return till_id


def _recover_outbox(uows: UnitOfWorkFactory) -> None:
    """Events a crash left ``sending`` go back in the queue; the server deduplicates them."""
    with uows.writing() as uow:
        recovered = uow.outbox.recover()
        uow.commit()
    if recovered:
        log.warning(
            "%s outbox events were being sent when the till stopped: queued again", recovered
        )


def bootstrap(settings: TillSettings, *, logs: bool = True) -> Till:
    if logs:
        configure_logging(settings.resolved_log_dir, settings.log_level)
    engines = create_till_engines(settings.resolved_database_path, settings.busy_timeout_ms)
    migrate.upgrade_to_head(engines.write)
    uows = UnitOfWorkFactory(engines)
    _recover_outbox(uows)
    ctx = TillContext(
        till_id=_till_id(uows),
        card_codec=CardNumberCodec(settings.card_secret),
        phone_region=settings.phone_region,
        prints_receipts=bool(settings.printer_url.strip()),
        return_limit=settings.return_limit_minor,
        lockout=LockoutPolicy(
            max_attempts=settings.pin_max_attempts,
            lockout=timedelta(seconds=settings.pin_lockout_seconds),
        ),
    )
    checkpointer = WalCheckpointer(
        settings.resolved_database_path,
        truncate_above_bytes=settings.wal_limit_mb * 1024 * 1024,
        write_gate=engines.write_gate,
    )
    checkpointer.start()
    log.info("till %s started on %s", ctx.till_id, settings.resolved_database_path)
    services = TillServices(uows, ctx)
    sync = SyncService(
        uows, ctx, services.wallets, _client_factory(settings), after_page=checkpointer.nudge
    )
    services.balance_confirmer = sync.confirm_balance
    services.scorecard_reader = sync.scorecards
    printer, problem = _printer(settings.printer_url)
    return Till(settings, engines, services, checkpointer, sync, printer, problem)


def _printer(url: str) -> tuple[ReceiptPrinter | None, str | None]:
    """The printer ``url`` names; builds it without touching the device."""
    if not url.strip():
        return None, None
    try:
        return open_printer(url), None
    except PrinterConfigError as wrong:
        log.error("the receipt printer's settings are wrong: %s", wrong)
        return None, str(wrong)


def _client_factory(settings: TillSettings) -> ClientFactory:
    def connect(server_url: str, credential: str) -> SyncClient:
        return SyncClient(server_url, credential, ca_file=settings.server_ca_file)

    return connect

"""Customers' wallets (ledger projections) kept in memory, so a checkout never replays a ledger.

A wallet is loaded once, when the customer is first identified, by projecting
their ledger; after that each committed entry is applied to it. Only the
database worker thread touches the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.ledger import LedgerEntry
from loyalty_core.wallet import Balance, Wallet, project
from pos_client.adapters.unit_of_work import SqliteUnitOfWork


class WalletCache:
    def __init__(self, capacity: int = 5000) -> None:
        self._capacity = capacity
        self._wallets: OrderedDict[str, Wallet] = OrderedDict()

    def __len__(self) -> int:
        return len(self._wallets)

    def get(self, customer_id: str, uow: SqliteUnitOfWork) -> Wallet:
        """The customer's wallet; ``uow`` must be open (it loads the ledger on a miss)."""
        wallet = self._wallets.get(customer_id)
        if wallet is None:
            return self.put(project(customer_id, uow.ledger.of_customer(customer_id)))
        self._wallets.move_to_end(customer_id)
        return wallet

    def put(self, wallet: Wallet) -> Wallet:
        """Hold ``wallet``, which reflects committed entries only; the least recent goes."""
        self._wallets[wallet.customer_id] = wallet
        self._wallets.move_to_end(wallet.customer_id)
        if len(self._wallets) > self._capacity:
            self._wallets.popitem(last=False)
        return wallet

    def forget(self, customer_ids: Iterable[str]) -> None:
        """Drop these wallets: their ledger changed under them (a pull, a merge)."""
        for customer_id in customer_ids:
            self._wallets.pop(customer_id, None)

    def committed(self, entries: list[LedgerEntry]) -> None:
        """Fold entries that are now durable into the wallets we hold."""
        for entry in sorted(entries, key=lambda e: e.sort_key):
            wallet = self._wallets.get(entry.customer_id or "")
            if wallet is None:
                continue
            try:
                wallet.apply(entry)
            except DomainError:
                # A back-dated entry (e.g. from sync): rebuild from the ledger next time.
                del self._wallets[wallet.customer_id]

    def balance_after(
        self,
        entries: list[LedgerEntry],
        customer_id: str | None,
        uow: SqliteUnitOfWork,
        now: datetime,
    ) -> Balance | None:
        """Fold a committed sale's or return's entries in; the customer's balance after it."""
        self.committed(entries)
        if customer_id is None:
            return None
        wallet = self._wallets.get(customer_id)
        if wallet is None:  # evicted or rebuilt: load it (rare, costs a transaction)
            with uow:
                wallet = self.get(customer_id, uow)
        return wallet.balance(now)

"""How much bonus this till may spend now, by its store's redemption policy.

- ``online_only``: only what the server confirmed a moment ago (``CheckoutRequest.
  confirmed_balance``, asked by the screen on the IO lane); without an answer nothing, and
  the cashier is told why.
- ``offline_limit``: the balance this till knows (the last synced one, less what it has
  spent since), and, when the store sets ``offline_limit_points``, at most that much per
  customer across sales the server has not confirmed yet.

A till that has never pulled its store's settings (the tests' local store) has no limit.
The server re-validates every sale anyway: what two tills spend offline together beyond
a balance becomes a recorded debt, never a refused sale.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_client.adapters.unit_of_work import SqliteUnitOfWork


@dataclass(frozen=True, slots=True)
class RedeemLimit:
    points: int | None  # None: no limit beyond the balance
    reason: str = "redeem.offline_limit"  # the note that tells the cashier


NO_LIMIT = RedeemLimit(None)


def redeem_limit(
    uow: SqliteUnitOfWork, customer_id: str, confirmed_balance: int | None
) -> RedeemLimit:
    settings = uow.replica.store_settings()
    if settings is None:
        return NO_LIMIT
    if settings.redemption_policy == "online_only":
        if confirmed_balance is None:
            return RedeemLimit(0, "redeem.online_only")
        return RedeemLimit(max(0, confirmed_balance), "redeem.server_balance")
    if settings.offline_limit_points is None:
        return NO_LIMIT
    spent = uow.ledger.redeemed_unconfirmed(customer_id)
    return RedeemLimit(max(0, settings.offline_limit_points - spent))

"""The survey link a receipt's QR carries: ``<page><token>``, the token signed by this till
with its store's secret (fetched once from the server, see ``SyncService.ensure_survey_link``)
so the server's survey page can check it (``loyalty_core.survey_links``).

The page is where the server says customers' phones reach it, else the address this till
syncs with, plus ``/survey/``. Before the secret is known (never online), no link.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty_core.survey_links import MIN_SECRET_BYTES, sign
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.enrollment import SERVER_URL_KEY, SURVEY_SECRET_KEY

__all__ = ["SURVEY_DAYS_KEY", "SURVEY_PAGE_KEY", "SURVEY_SECRET_KEY", "SurveyLink", "survey_link"]

SURVEY_DAYS_KEY = "survey.valid_days"
SURVEY_PAGE_KEY = "survey.page_url"  # "" : the server's own address


@dataclass(frozen=True, slots=True)
class SurveyLink:
    page: str  # ends with "/survey/" (or the page the server names)
    token: str

    @property
    def url(self) -> str:
        return self.page + self.token


def _secret(text: str) -> bytes | None:
    try:
        secret = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return secret if len(secret) >= MIN_SECRET_BYTES else None


def survey_link(
    uow: SqliteUnitOfWork, sale_id: str, staff_id: str, sold_at: datetime
) -> SurveyLink | None:
    """The link for a receipt, valid for the server's days from the sale (call inside
    ``with uow``); None before this till has its store's secret."""
    state = uow.state
    secret = _secret(state.get(SURVEY_SECRET_KEY) or "")
    days = state.get(SURVEY_DAYS_KEY) or ""
    if not secret or not days.isdigit():
        return None
    page = state.get(SURVEY_PAGE_KEY) or ""
    if not page:
        server = state.get(SERVER_URL_KEY)
        if not server:
            return None
        page = server.rstrip("/") + "/survey/"
    token = sign(secret, sale_id, staff_id, sold_at, timedelta(days=int(days)))
    return SurveyLink(page, token)

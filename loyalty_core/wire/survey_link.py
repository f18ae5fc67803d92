"""How a till signs its receipts' survey links (``GET /v1/sync/survey-link``): its store's
secret (``loyalty_core.survey_links.store_secret``), how long a link stays valid, and where
customers' phones open the survey page (``None``: the address the till syncs with)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from loyalty_core.wire.common import Id, WireModel


class SurveyLinkV1(WireModel):
    v: Literal[1] = 1
    store_id: Id
    secret: Annotated[str, Field(min_length=43, max_length=86)]  # base64url, no padding
    valid_days: Annotated[int, Field(ge=1, le=365)]
    page_url: Annotated[str, Field(max_length=500)] | None = None  # ends with "/survey/"

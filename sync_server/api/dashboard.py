"""The managers' web dashboard: sign in, scorecards, a cashier's page, alerts, CSV.

Server-rendered (Jinja2) with a little script for the charts (Chart.js, vendored under
``web/static``: stores and tests are offline). A session cookie (HttpOnly, SameSite=Strict)
names the manager; every form sends the session's CSRF token back, and the sign-in form a
token of its own cookie. A page that is not the viewer's answers 401 (not signed in: the
sign-in form) or 403, and says nothing of what it would have shown.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from loyalty_core.errors import DomainError
from sync_server.api.rate_limit import limit_sign_in
from sync_server.context import ServerContext
from sync_server.deps import ContextDep
from sync_server.services.manager_auth import (
    BadCsrfError,
    NotSignedInError,
    Viewer,
    check_csrf,
    sign_in,
    sign_out,
    viewer_of,
)
from sync_server.services.scorecards import (
    ScorecardPage,
    alerts,
    cashier_detail,
    scorecard_page,
    scorecards_csv,
)
from sync_server.services.sync_issues import masked_phone, masked_text, sync_issues
from sync_server.web.dashboard_texts import DASHBOARD_TEXTS
from sync_server.web.texts import LANGUAGES, language

router = APIRouter(prefix="/dashboard", tags=["dashboard"], include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
SESSION_COOKIE = "loyalty_manager"
LOGIN_CSRF_COOKIE = "loyalty_sign_in"
LANGUAGE_COOKIE = "loyalty_lang"
LOGIN_PATH = "/dashboard/login"
_PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "web" / "templates"),
    autoescape=select_autoescape(["html"]),
)
_STATUS = {
    "manager.not_signed_in": status.HTTP_401_UNAUTHORIZED,
    "manager.sign_in_refused": status.HTTP_401_UNAUTHORIZED,
    "rate.limited": status.HTTP_429_TOO_MANY_REQUESTS,
    "manager.forbidden": status.HTTP_403_FORBIDDEN,
    "manager.bad_csrf": status.HTTP_403_FORBIDDEN,
    "report.staff_unknown": status.HTTP_404_NOT_FOUND,
}
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}
COLUMNS = ("name", "score", "votes", "average", "card_share", "sales", "revenue", "average_check")


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return language(asked, request.headers.get("accept-language"))


def _money(lang: str) -> Callable[[int], str]:
    def money(minor: int) -> str:
        sign, minor = ("-" if minor < 0 else ""), abs(minor)
        whole = f"{minor // 100:,}".replace(",", "\u00a0" if lang == "ru" else ",")
        point = "," if lang == "ru" else "."
        return f"{sign}{whole}{point}{minor % 100:02d}"

    return money


def _percent(lang: str) -> Callable[[int], str]:
    def percent(basis_points: int) -> str:
        point = "," if lang == "ru" else "."
        return f"{basis_points // 100}{point}{basis_points % 100:02d}%"

    return percent


def _percent_number(lang: str) -> Callable[[str], str]:
    """The share in a few-cards alert's detail ("1315 bp"), as the page writes numbers."""

    def percent_number(detail: str) -> str:
        digits = "".join(c for c in detail if c.isdigit())
        return _percent(lang)(int(digits or 0)).removesuffix("%")

    return percent_number


def _render(request: Request, template: str, code: int = 200, **values: Any) -> HTMLResponse:
    lang = values.pop("lang", None) or _lang(request)
    other = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    other.append(("lang", "en" if lang == "ru" else "ru"))
    html = _PAGES.get_template(template).render(
        lang=lang,
        t=DASHBOARD_TEXTS[lang],
        viewer=values.pop("viewer", None),
        other_lang_query=urlencode(other),
        money=_money(lang),
        points=_money(lang),  # bonus points are minor units, shown as the money is
        percent=_percent(lang),
        percent_number=_percent_number(lang),
        **values,
    )
    response = HTMLResponse(html, status_code=code, headers=_HEADERS)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, samesite="strict", httponly=True)
    return response


def _login_page(request: Request, code: int, message: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    # Back to the page asked for once signed in (the sign-in page itself: the scorecards).
    next_path = "/dashboard/"
    if request.method == "GET" and request.url.path != LOGIN_PATH:
        query = request.url.query
        next_path = request.url.path + (f"?{query}" if query else "")
    response = _render(
        request, "dashboard/login.html", code, message=message, login_csrf=token, next=next_path
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=LOGIN_PATH,
    )
    return response


def _refused(request: Request, refused: DomainError, viewer: Viewer | None = None) -> Response:
    lang = _lang(request)
    text = DASHBOARD_TEXTS[lang].get(refused.code, refused.message).format(**refused.params)
    if isinstance(refused, NotSignedInError):
        return _login_page(request, status.HTTP_401_UNAUTHORIZED, text)
    code = _STATUS.get(refused.code, status.HTTP_422_UNPROCESSABLE_CONTENT)
    return _render(request, "dashboard/message.html", code, message=text, viewer=viewer)


def _viewer(request: Request, context: ServerContext) -> Viewer:
    return viewer_of(
        request.cookies.get(SESSION_COOKIE),
        context.start_reading_unit_of_work(),
        now=context.clock(),
    )


def _day(request: Request, name: str) -> date | None:
    text = request.query_params.get(name) or ""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _BadDateError() from None


class _BadDateError(DomainError):
    code = "bad_date"
    template = "A date is written as YYYY-MM-DD."


def _when(lang: str, zone: ZoneInfo) -> Callable[[datetime], str]:
    def when(at: datetime) -> str:
        local = at.astimezone(zone)
        return local.strftime("%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M")

    return when


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    return {key: values[0] for key, values in parse_qs(body).items()}


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return _login_page(request, status.HTTP_200_OK)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, context: ContextDep) -> Response:
    form = await _form(request)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    given = form.get("csrf", "")
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        return _refused(request, BadCsrfError())
    try:
        limit_sign_in(request)
        signed = sign_in(
            form.get("login", ""),
            form.get("password", ""),
            context.start_unit_of_work(),
            now=context.clock(),
        )
    except DomainError as refused:
        lang = _lang(request)
        text = DASHBOARD_TEXTS[lang].get(refused.code, refused.message).format(**refused.params)
        return _login_page(request, _STATUS.get(refused.code, 401), text)
    target = form.get("next", "")
    safe = target.startswith("/dashboard/") and "//" not in target and "\\" not in target
    target = target if safe and not target.startswith(LOGIN_PATH) else "/dashboard/"
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/dashboard",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/logout")
async def logout(request: Request, context: ContextDep) -> Response:
    form = await _form(request)
    try:
        viewer = _viewer(request, context)
        check_csrf(viewer, form.get("csrf"))
    except DomainError as refused:
        return _refused(request, refused)
    sign_out(request.cookies.get(SESSION_COOKIE, ""), context.start_unit_of_work())
    response = RedirectResponse("/dashboard/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, path="/dashboard")
    return response


def _page(request: Request, context: ServerContext, viewer: Viewer) -> ScorecardPage:
    store = request.query_params.get("store") or None
    return scorecard_page(
        viewer,
        context.start_reading_unit_of_work(),
        store_id=store,
        first=_day(request, "from"),
        last=_day(request, "to"),
        sort=request.query_params.get("sort", "score"),
        now=context.clock(),
    )


def _period_query(request: Request, page_first: date, page_last: date) -> str:
    return urlencode({"lang": _lang(request), "from": page_first, "to": page_last})


@router.get("/", response_class=HTMLResponse)
def scorecards(request: Request, context: ContextDep) -> Response:
    viewer: Viewer | None = None
    try:
        viewer = _viewer(request, context)
        page = _page(request, context, viewer)
    except DomainError as refused:
        return _refused(request, refused, viewer)
    lang = _lang(request)
    base = {"lang": lang, "from": page.period.first, "to": page.period.last}
    if page.store_id:
        base["store"] = page.store_id
    labels = DASHBOARD_TEXTS[lang]
    return _render(
        request,
        "dashboard/scorecards.html",
        viewer=viewer,
        page="scorecards",
        page_data=page,
        columns=[(key, labels["cashier" if key == "name" else key]) for key in COLUMNS],
        query=urlencode({**base, "sort": page.sort}),
        period_query=_period_query(request, page.period.first, page.period.last),
        sort_query=lambda key: urlencode({**base, "sort": key}),
        chart_data={
            "trend": {
                "labels": [str(p.week) for p in page.trend],
                "values": [str(p.average) for p in page.trend],
            },
            "scores": {
                "labels": [row.staff.name for row in page.rows],
                "values": [str(row.card.score) for row in page.rows],
            },
        },
    )


@router.get("/scorecards.csv")
def scorecards_export(request: Request, context: ContextDep) -> Response:
    try:
        viewer = _viewer(request, context)
        page = _page(request, context, viewer)
    except DomainError as refused:
        code = _STATUS.get(refused.code, status.HTTP_422_UNPROCESSABLE_CONTENT)
        return Response(refused.message, status_code=code, media_type="text/plain")
    name = f"scorecards-{page.period.first}-{page.period.last}.csv"
    return Response(
        "\ufeff" + scorecards_csv(page),  # the BOM: spreadsheets then read it as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', **_HEADERS},
    )


@router.get("/cashiers/{staff_id}", response_class=HTMLResponse)
def cashier(staff_id: str, request: Request, context: ContextDep) -> Response:
    viewer: Viewer | None = None
    try:
        viewer = _viewer(request, context)
        detail = cashier_detail(
            viewer,
            context.start_reading_unit_of_work(),
            staff_id,
            first=_day(request, "from"),
            last=_day(request, "to"),
            now=context.clock(),
        )
    except DomainError as refused:
        return _refused(request, refused, viewer)
    card = detail.row.card
    return _render(
        request,
        "dashboard/cashier.html",
        viewer=viewer,
        page="cashier",
        detail=detail,
        when=_when(_lang(request), ZoneInfo(detail.row.store.timezone)),
        chart_data={
            "trend": {
                "labels": [str(p.week) for p in card.trend],
                "values": [str(p.average) for p in card.trend],
            },
            "distribution": list(card.distribution),
        },
    )


@router.get("/alerts", response_class=HTMLResponse)
def alert_list(request: Request, context: ContextDep) -> Response:
    viewer: Viewer | None = None
    try:
        viewer = _viewer(request, context)
        found = alerts(
            viewer,
            context.start_reading_unit_of_work(),
            store_id=request.query_params.get("store") or None,
            first=_day(request, "from"),
            last=_day(request, "to"),
            now=context.clock(),
        )
    except DomainError as refused:
        return _refused(request, refused, viewer)
    zone = ZoneInfo(found.stores[0].timezone if found.stores else "Europe/Moscow")
    return _render(
        request,
        "dashboard/alerts.html",
        viewer=viewer,
        page="alerts",
        rows=found.rows,
        stores=found.stores,
        store_id=found.store_id,
        period=found.period,
        when=_when(_lang(request), zone),
    )


@router.get("/sync", response_class=HTMLResponse)
def sync_issue_list(request: Request, context: ContextDep) -> Response:
    """Rejected events, settlements, tills' clocks and (owners) customers' debts."""
    viewer: Viewer | None = None
    try:
        viewer = _viewer(request, context)
        issues = sync_issues(
            viewer,
            context.start_reading_unit_of_work(),
            store_id=request.query_params.get("store") or None,
        )
    except DomainError as refused:
        return _refused(request, refused, viewer)
    names = {s.id: s.name for s in issues.stores}
    zone = ZoneInfo(issues.stores[0].timezone if issues.stores else "Europe/Moscow")
    return _render(
        request,
        "dashboard/sync.html",
        viewer=viewer,
        page="sync",
        issues=issues,
        store_name=lambda store_id: names.get(store_id, "—"),
        phone=masked_phone,
        masked=masked_text,
        when=_when(_lang(request), zone),
    )

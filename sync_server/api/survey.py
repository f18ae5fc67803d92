"""The receipt's web survey, as pages a phone opens from the receipt's QR.

``GET /survey/{token}`` shows the form (or why it cannot be used); ``POST`` records the
vote. Server-rendered with Jinja2, no script, fine on a phone; Russian or English.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from loyalty_core.errors import DomainError
from loyalty_core.survey import SCORES, Reason
from sync_server.deps import ContextDep, UnitOfWorkDep
from sync_server.services.web_survey import MAX_COMMENT, open_survey, vote_on_web
from sync_server.web.texts import TEXTS, language

router = APIRouter(prefix="/survey", tags=["survey"], include_in_schema=False)
_PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "web" / "templates"),
    autoescape=select_autoescape(["html"]),
)
_STATUS = {
    "survey.link_invalid": status.HTTP_404_NOT_FOUND,
    "survey.receipt_not_here": status.HTTP_404_NOT_FOUND,
    "survey.link_expired": status.HTTP_410_GONE,
    "survey.already_voted": status.HTTP_409_CONFLICT,
}


def _page(lang: str, code: int = 200, **values: object) -> HTMLResponse:
    page: dict[str, object] = {
        "number": None,
        "message": "",
        "kind": "",
        "show_form": False,
        **values,
    }
    html = _PAGES.get_template("survey.html").render(
        lang=lang,
        t=TEXTS[lang],
        scores=list(SCORES),
        reasons=[r.value for r in Reason],
        max_comment=MAX_COMMENT,
        **page,
    )
    response = HTMLResponse(html, status_code=code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the key: never passed on
    return response


def _refusal(lang: str, refused: DomainError, number: object = None) -> HTMLResponse:
    text = TEXTS[lang].get(refused.code, TEXTS[lang]["survey.link_invalid"])
    code = _STATUS.get(refused.code, status.HTTP_422_UNPROCESSABLE_CONTENT)
    kind = "done" if refused.code == "survey.already_voted" else "problem"
    return _page(lang, code, message=text.format(**refused.params), kind=kind, number=number)


@router.get("/{token}", response_class=HTMLResponse)
def survey_form(
    token: str, request: Request, uow: UnitOfWorkDep, context: ContextDep
) -> HTMLResponse:
    lang = language(request.query_params.get("lang"), request.headers.get("accept-language"))
    try:
        page = open_survey(token, uow, now=context.clock(), secret=context.survey_secret)
    except DomainError as refused:
        return _refusal(lang, refused)
    if page.voted:
        text = TEXTS[lang]["survey.already_voted"].format(number=page.number)
        return _page(lang, number=page.number, message=text, kind="done")
    return _page(lang, number=page.number, show_form=True)


@router.post("/{token}", response_class=HTMLResponse)
async def survey_vote(
    token: str, request: Request, uow: UnitOfWorkDep, context: ContextDep
) -> HTMLResponse:
    lang = language(request.query_params.get("lang"), request.headers.get("accept-language"))
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    score_text = (form.get("score") or [""])[0]
    score = int(score_text) if score_text.isdigit() else 0
    comment = (form.get("comment") or [""])[0]
    try:
        page = vote_on_web(
            token,
            score,
            form.get("reason", []),
            comment,
            uow,
            now=context.clock(),
            secret=context.survey_secret,
        )
    except DomainError as refused:
        if refused.code in ("survey.bad_score", "survey.bad_reasons", "survey.comment_too_long"):
            text = TEXTS[lang][refused.code].format(**refused.params)
            return _page(lang, 422, message=text, kind="problem", show_form=True)
        return _refusal(lang, refused)
    return _page(lang, number=page.number, message=TEXTS[lang]["thanks"], kind="done")

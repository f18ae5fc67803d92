"""The web survey's words in the languages it ships in (Russian and English).

A page picks the language from ``?lang=`` or the browser's Accept-Language; Russian is the
store's own, English the fallback. Refusals are told by their ``DomainError`` code.
"""

from __future__ import annotations

LANGUAGES = ("ru", "en")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "How were you served?",
        "receipt": "Receipt No. {number}",
        "question": "Rate the cashier who served you",
        "reasons": "What stood out? (up to 4)",
        "comment": "Anything to add? (optional)",
        "send": "Send",
        "thanks": "Thank you for your rating!",
        "polite": "polite",
        "fast": "fast",
        "helpful": "helpful",
        "offered_card": "offered the loyalty card",
        "slow": "slow",
        "impolite": "impolite",
        "mistake": "made a mistake",
        "survey.already_voted": "Receipt No. {number} has already been rated. Thank you!",
        "survey.link_invalid": "This survey link is not valid.",
        "survey.link_expired": "This survey link expired on {date}.",
        "survey.receipt_not_here": (
            "This receipt has not reached us yet: try the link again in a few minutes."
        ),
        "survey.bad_score": "Choose a rating from 1 to 5.",
        "survey.bad_reasons": "Choose up to 4 of the reasons listed.",
        "survey.comment_too_long": "A comment is at most {most} characters.",
    },
    "ru": {
        "title": "Как вас обслужили?",
        "receipt": "Чек № {number}",
        "question": "Оцените кассира, который вас обслужил",
        "reasons": "Что запомнилось? (до 4)",
        "comment": "Хотите что-то добавить? (необязательно)",
        "send": "Отправить",
        "thanks": "Спасибо за оценку!",
        "polite": "вежливо",
        "fast": "быстро",
        "helpful": "помог(ла)",
        "offered_card": "предложил(а) карту лояльности",
        "slow": "медленно",
        "impolite": "невежливо",
        "mistake": "ошибся(лась)",
        "survey.already_voted": "Чек № {number} уже оценён. Спасибо!",
        "survey.link_invalid": "Эта ссылка на опрос недействительна.",
        "survey.link_expired": "Срок действия ссылки на опрос истёк {date}.",
        "survey.receipt_not_here": (
            "Этот чек к нам ещё не поступил: откройте ссылку ещё раз через несколько минут."
        ),
        "survey.bad_score": "Выберите оценку от 1 до 5.",
        "survey.bad_reasons": "Выберите не больше 4 причин из списка.",
        "survey.comment_too_long": "Комментарий — не длиннее {most} символов.",
    },
}


def language(asked: str | None, accept_language: str | None) -> str:
    """``?lang=`` if it is one we ship, else the browser's first one we ship, else Russian."""
    if asked in LANGUAGES:
        return asked
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "ru"

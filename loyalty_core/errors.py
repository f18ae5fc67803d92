"""Domain errors with a stable code, so each user interface can word them in its language."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal a user can act on.

    ``code`` is stable and machine-readable (the UI maps it to translated text);
    ``message`` is the English default, already formatted with ``params``.
    """

    code = "domain.error"
    template = "The operation was refused."

    def __init__(self, template: str | None = None, /, **params: Any) -> None:
        self.template = template or type(self).template
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError):
            return self.template

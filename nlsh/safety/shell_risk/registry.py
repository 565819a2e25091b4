"""Command name -> the function that classifies its argv. Modules register with @handles."""

from __future__ import annotations

from typing import Callable

from .env import Env
from .words import Word

Handler = Callable[[list[Word], Env], None]
HANDLERS: dict[str, Handler] = {}


def handles(*names: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = function
        return function

    return register


def command_name(argv: list[Word]) -> str:
    """The program's base name as written (for reasons): /bin/rm -> rm."""
    value = argv[0].value or argv[0].text
    return value.rsplit("/", 1)[-1]

"""Long text is paged on a terminal (the person's $PAGER, else less), printed as is elsewhere."""

from __future__ import annotations

from typing import Any


def show_long(text: str, console: Any) -> None:
    """Print `text` (plain, never markup) on `console`, through a pager when it is a terminal and
    the text is taller than the screen."""
    if console.is_terminal and text.count("\n") + 1 > max(console.height - 2, 1):
        with console.pager():
            console.print(text, markup=False, highlight=False)
        return
    console.print(text, markup=False, highlight=False)

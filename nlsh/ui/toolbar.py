"""The REPL's bottom toolbar: which model (and whether it is loaded yet), where, how the last request
ended. On a narrow terminal the directory is shortened first, then the model's name."""

from __future__ import annotations

from pathlib import Path


def shown_dir(cwd: Path) -> str:
    home = Path.home()
    try:
        return "~/" + str(cwd.relative_to(home)) if cwd != home else "~"
    except ValueError:
        return str(cwd)


def _shorten(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return "…" + text[len(text) - room + 1:] if room > 1 else ""


def toolbar_line(model: str, loaded: bool, cwd: Path, last_exit: int, width: int) -> str:
    state = "ready" if loaded else "not loaded"
    status = f"exit {last_exit}"
    room = width - len(state) - len(status) - 11  # the spaces, brackets and separators
    if room < 8:  # too narrow for names: what changes from one request to the next
        return f" ({state}) │ {status} "[:width]
    model = _shorten(model, min(len(model), max(room // 2, 4)))
    place = _shorten(shown_dir(cwd), room - len(model))
    return f" {model} ({state}) │ {place} │ {status} "

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
    place = shown_dir(cwd)
    fixed = len(state) + len(status) + 10  # separators and brackets
    room = max(width - fixed, 8)
    model_room = min(len(model), max(room // 2, 8))
    model = _shorten(model, model_room)
    place = _shorten(place, max(room - len(model), 1))
    line = f" {model} ({state}) │ {place} │ {status} "
    return line if len(line) <= width else line[:width]

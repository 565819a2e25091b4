"""nlsh itself: its history, tool table and settings only look; undo changes files; a request runs
whatever a model plans, which cannot be known from here."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .registry import handles
from .words import Word

_LOOKS = frozenset("tools version config".split())


@handles("nlsh")
def nlsh_command(argv: list[Word], env: Env) -> None:
    words = [w.value for w in argv[1:]]
    first = words[0] if words else None
    second = words[1] if len(words) > 1 else None
    if first == "history":
        if second == "import":
            env.add(Risk.WRITE, "nlsh history import adds to the history")
        return  # list, search, show: reads the history
    if first in _LOOKS:
        return
    if first == "model":
        if second == "pull":
            env.add(Risk.NETWORK, "nlsh model pull downloads a model")
        return
    if first == "undo":
        if "--list" not in words and "-l" not in words:
            env.add(Risk.DESTRUCTIVE, "nlsh undo puts back files, replacing what is there now")
        return
    env.add(Risk.UNKNOWN, "nlsh runs a request that a model plans")

"""Classify one simple command given as words: find its real name, then its handler or table."""

from __future__ import annotations

from ..risk import Risk
from . import archives, files, find_cmd, git_cmd, interpreters, network, nlsh_cmd, setters, system, text_tools, wrappers  # noqa: F401 (register)
from .env import Env
from .lookalike import lookalike_reason
from .read_options import check_read_options
from .registry import HANDLERS
from .tables import INTERPRETERS, NETWORK_COMMANDS, READ_COMMANDS, SHELLS, SYSTEM_COMMANDS, TRUSTED_BIN_DIRS
from .words import Word


def classify_argv(env: Env, argv: list[Word]) -> None:
    name = _real_name(env, argv[0])
    if name is None:
        return
    if name in env.functions:
        return  # the function's body was classified where it was defined
    handler = HANDLERS.get(name)
    if handler is not None:
        handler(argv, env)
    elif name in READ_COMMANDS:
        check_read_options(env, name, argv)
    elif name in NETWORK_COMMANDS:
        env.add(Risk.NETWORK, f"{name} talks to the network")
    elif name in SYSTEM_COMMANDS:
        env.add(Risk.SYSTEM, f"{name} {SYSTEM_COMMANDS[name]}")
    elif name in SHELLS or name in INTERPRETERS:
        env.add(Risk.UNKNOWN, f"{name} runs code nlsh cannot check")
    else:
        env.add(Risk.UNKNOWN, f"{name} is not a command nlsh knows")


def _real_name(env: Env, word: Word) -> str | None:
    """The command's name after quote removal; None (and a reason) when it cannot be trusted."""
    if word.value is None or word.glob:
        env.add(Risk.UNKNOWN, f"the command name {word.text} is chosen at run time")
        return None
    name = word.value
    odd = lookalike_reason(name)
    if odd:
        env.add(Risk.UNKNOWN, f"command name {name}: {odd}")
        return None
    if word.tilde or "/" in name:
        directory, _, base = name.rpartition("/")
        if directory in TRUSTED_BIN_DIRS and base:
            return base
        env.add(Risk.UNKNOWN, f"runs the program {name}, which nlsh cannot check")
        return None
    if not name:
        env.add(Risk.UNKNOWN, "the command name is empty")
        return None
    return name

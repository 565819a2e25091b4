"""find: read-only unless its expression deletes, runs commands or writes files."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .registry import handles
from .words import Word, placeholder
from .writes import note_change, note_write

_RUNS = ("-exec", "-execdir", "-ok", "-okdir")
_WRITES = ("-fprint", "-fprint0", "-fprintf", "-fls")


def _start_paths(args: list[Word]) -> tuple[list[Word], int]:
    """The starting points come before the first expression word (-name, (, !)."""
    i = 0
    while i < len(args) and args[i].value in ("-H", "-L", "-P", "-D", "-O"):
        i += 2 if args[i].value == "-D" else 1
    start = i
    while i < len(args) and (args[i].value is None or not args[i].value.startswith(("-", "(", "!", ")"))):
        i += 1
    return args[start:i] or [Word(".", ".")], i


@handles("find", "gfind")
def find(argv: list[Word], env: Env) -> None:
    args = argv[1:]
    roots, i = _start_paths(args)
    while i < len(args):
        word = args[i].value
        i += 1
        if word == "-delete":
            note_change(env, "find -delete", roots, "deletes the files it finds")
        elif word in _RUNS:
            end = i
            while end < len(args) and args[end].value not in (";", "+"):
                end += 1
            inner = [placeholder("found file") if w.value is not None and "{}" in w.value else w
                     for w in args[i:end]]
            if inner:
                before = env.findings.risk
                env.run_argv(inner)
                if env.findings.risk > before and env.findings.risk >= Risk.DESTRUCTIVE:
                    env.add(env.findings.risk, f"find {word} runs {inner[0].text} on every file it finds",
                            [env.target_of(r) for r in roots])
            else:
                env.add(Risk.UNKNOWN, f"find {word} without a command")
            i = end + 1
        elif word in _WRITES and i < len(args):
            note_write(env, f"find {word}", args[i])
            i += 1

"""Retrieval of worked examples: the few (description, command) pairs most like the request, for the
model to read beside it. They go into the request's own message, never into the cached prefix."""

from __future__ import annotations

import shutil
import sqlite3
from functools import lru_cache
from pathlib import Path

from nlsh.kernel.retrieval.bank import Bank

SHOWN = 4  # examples placed beside a request
CANDIDATES = 40  # matches read from the index, before dropping programs this machine lacks
PER_PROGRAM = 2  # no more than this many examples of one program: variety teaches more
SHELL_WORDS = frozenset("cd echo printf read test [ type export set unset alias source . eval exec "
                        "for while if case until let declare local wait trap ulimit umask command "
                        "history jobs fg bg kill pwd true false".split())


@lru_cache(maxsize=None)
def installed(program: str) -> bool:
    """Is `program` a shell builtin or an executable on PATH? (cached: PATH rarely changes mid-session)"""
    return program in SHELL_WORDS or shutil.which(program) is not None


@lru_cache(maxsize=2)
def _bank(cache_dir: str) -> Bank:
    return Bank.open(Path(cache_dir))


def similar_examples(request: str, cache_dir: Path, limit: int = SHOWN) -> list[tuple[str, str]]:
    """(description, command) pairs like the request, best first, for programs installed here."""
    try:
        found = _bank(str(cache_dir)).search(request, CANDIDATES)
    except (OSError, sqlite3.Error):
        return []  # an aid, never a reason to fail: no cache directory to build the bank in, say
    chosen: list[tuple[str, str]] = []
    per_program: dict[str, int] = {}
    for description, command, program in found:
        if not installed(program) or per_program.get(program, 0) >= PER_PROGRAM:
            continue
        per_program[program] = per_program.get(program, 0) + 1
        chosen.append((description, command))
        if len(chosen) == limit:
            break
    return chosen

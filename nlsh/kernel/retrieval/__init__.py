"""Retrieval of worked examples: the few (description, command) pairs most like the request, for the
model to read beside it. They go into the request's own message, never into the cached prefix."""

from __future__ import annotations

import shutil
import sqlite3
from functools import lru_cache
from pathlib import Path

from nlsh.kernel.retrieval import embed
from nlsh.kernel.retrieval.bank import Bank
from nlsh.kernel.retrieval.programs import may_show

SHOWN = 4  # examples placed beside a request
CANDIDATES = 60  # matches read from the index, before dropping programs this machine lacks
MIN_SIMILARITY = 0.6  # cosine, WordLlama: chosen on our own requests (tools/retrieval_probe.py)
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


def candidates(request: str, cache_dir: Path) -> list[tuple[float | None, str, str, str]]:
    """(similarity, description, command, program) of the bank's matches that may be shown here, the
    closest in meaning first when WordLlama is installed (similarity None without it: BM25 order)."""
    try:
        found = _bank(str(cache_dir)).search(request, CANDIDATES)
    except (OSError, sqlite3.Error):
        return []  # an aid, never a reason to fail: no cache directory to build the bank in, say
    found = [f for f in found if may_show(f[2], request) and installed(f[2])]
    if not found or not embed.available():
        return [(None, *f) for f in found]
    scores = embed.similarities(request, [description for description, _, _ in found])
    return sorted(((score, *f) for score, f in zip(scores, found)), key=lambda c: -c[0])


def similar_examples(request: str, cache_dir: Path, limit: int = SHOWN) -> list[tuple[str, str]]:
    """(description, command) pairs like the request, the most similar last (nearest the request,
    where a small model reads it best). Only those close enough to teach something: an unrelated
    example is copied by a small model as readily as a related one."""
    chosen: list[tuple[str, str]] = []
    per_program: dict[str, int] = {}
    for score, description, command, program in candidates(request, cache_dir):
        if score is not None and score < MIN_SIMILARITY:
            break
        if per_program.get(program, 0) >= PER_PROGRAM or (description, command) in chosen:
            continue
        per_program[program] = per_program.get(program, 0) + 1
        chosen.append((description, command))
        if len(chosen) == limit:
            break
    return chosen[::-1]

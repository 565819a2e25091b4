"""Read queries over the history: search, examples for the kernel, plan lock, prompt history.

Functions take an open connection; HistoryStore owns it and turns errors into StoreError."""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Requests whose plan is worth showing the model or replaying: they ran (possibly after the person
# edited the plan, in which case the stored plan is the corrected one) and ended well.
_SUCCEEDED = "r.decision IN ('ran', 'edited') AND r.exit_code = 0 AND r.plan_json IS NOT NULL"
# An example for the planner is a plan the person corrected (and that then ended well): exit 0 alone
# says nothing about whether the plan did what was asked, and a new-user trial saw the model copy a
# past "count ERROR lines" plan into "count the lines in README.md". Measured on the eval before
# (tools/eval.py --seed-history): examples of every plan that ran changed nothing in score and
# cost 1.4 s per plan.
_CORRECTED = "r.decision = 'edited' AND r.exit_code = 0 AND r.plan_json IS NOT NULL"
# Requests the planner answered: a typed command line or a follow-up ("do it again") is no example
# of how English becomes a plan.
_PLANNED = "(r.road IS NULL OR r.road IN ('english', 'notmeant'))"
_FAILED = "(r.decision = 'failed' OR (r.decision IN ('ran', 'edited') AND r.exit_code != 0))"
_COLUMNS = ("r.id, r.started_us, r.ended, r.text, r.cwd, r.host, r.mode, r.model, r.decision, r.outcome, r.exit_code,"
            " r.road")
_COLUMN_COUNT = _COLUMNS.count(",") + 1
# Words too common to say anything about which past request is similar.
_STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or is are was be it this that these those my me i "
    "all any some what which who how do does did can please show list me get find give".split()
)
EXAMPLES_PER_WORD = 100  # newest successful matches of each word considered as examples
MAX_EXAMPLE_WORDS = 8


def lock_key(text: str, context_key: str) -> int:
    """63-bit hash of the (redacted) request text and its context key; indexed for the plan lock."""
    digest = hashlib.blake2b(f"{text}\0{context_key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def fts_query(text: str, *, prefix: bool = False) -> str | None:
    """An FTS5 query matching all the words of `text`, each quoted so punctuation and FTS operators
    in user input are taken literally; with `prefix`, each also matches longer words it starts."""
    tokens = words(text)
    if not tokens:
        return None
    star = "*" if prefix else ""
    return " ".join(f'"{t}"{star}' for t in dict.fromkeys(tokens))


def _row(row: sqlite3.Row | tuple) -> dict[str, Any]:
    rid, started_us, ended, text, cwd, host, mode, model, decision, outcome, exit_code, road = row
    started = started_us / 1_000_000
    return {
        "id": rid,
        "time": datetime.fromtimestamp(started).isoformat(sep=" ", timespec="seconds"),
        "duration": round(ended - started, 3) if ended is not None else None,
        "text": text,
        "cwd": cwd,
        "host": host,
        "mode": mode,
        "model": model,
        "decision": decision or "unfinished",
        "outcome": outcome,
        "exit_code": exit_code,
        "road": road,
    }


def _micro(moment: datetime) -> int:
    return round(moment.timestamp() * 1_000_000)


@dataclass(frozen=True)
class Filter:
    """Which past requests to find. Every field narrows the search; the defaults find everything."""

    words: str | None = None  # all of these words, in the request or its commands
    prefix: bool = False  # each word may be the start of a longer one (deploy finds deployed)
    since: datetime | None = None
    until: datetime | None = None
    cwd: str | None = None  # made in this directory or below it
    outcome: str | None = None  # failed | refused | succeeded
    files: str | None = None  # deleted | changed: a step that ran did that to named files
    skip_roads: tuple[str, ...] = ()  # not requests answered by these roads (recall questions themselves)
    skip_id: int | None = None  # not this request (the one asking)
    limit: int = 50


OUTCOMES = {"failed": _FAILED, "refused": "r.decision = 'refused'", "succeeded": "r.decision IN ('ran', 'edited') AND r.exit_code = 0"}
# A step that ran (a refused one has no exit code) and named the files it deleted or changed.
_TOUCHED = ("EXISTS (SELECT 1 FROM steps s WHERE s.request_id = r.id AND s.exit_code IS NOT NULL"
            " AND s.files_json != '[]' AND {risk})")
FILES = {"deleted": _TOUCHED.format(risk="s.risk = 'destructive'"), "changed": _TOUCHED.format(risk="s.risk != 'read'")}


def search(
    conn: sqlite3.Connection,
    query: str | None,
    *,
    since: datetime | None,
    until: datetime | None,
    cwd: str | None,
    failed: bool,
    limit: int,
) -> list[dict[str, Any]]:
    return find(conn, Filter(query, since=since, until=until, cwd=cwd, outcome="failed" if failed else None, limit=limit))


def find(conn: sqlite3.Connection, wanted: Filter) -> list[dict[str, Any]]:
    """Newest first. With words, the walk goes down the full-text index's matches in time order
    (its rowid is the start time) and stops at `limit`; without, down the start-time index."""
    match = fts_query(wanted.words, prefix=wanted.prefix) if wanted.words else None
    time_key = "request_fts.rowid" if match else "r.started_us"
    conditions, params = [], []
    if match:
        conditions.append("request_fts MATCH ?")
        params.append(match)
    if wanted.since is not None:
        conditions.append(f"{time_key} >= ?")
        params.append(_micro(wanted.since))
    if wanted.until is not None:
        conditions.append(f"{time_key} < ?")
        params.append(_micro(wanted.until))
    if wanted.cwd:
        prefix = wanted.cwd.rstrip("/") + "/"
        conditions.append("(r.cwd = ? OR substr(r.cwd, 1, ?) = ?)")
        params += [wanted.cwd.rstrip("/") or "/", len(prefix), prefix]
    if wanted.outcome:
        conditions.append(OUTCOMES[wanted.outcome])
    if wanted.files:
        conditions.append(FILES[wanted.files])
    if wanted.skip_roads:
        conditions.append(f"(r.road IS NULL OR r.road NOT IN ({','.join('?' * len(wanted.skip_roads))}))")
        params += list(wanted.skip_roads)
    if wanted.skip_id is not None:
        conditions.append("r.id != ?")
        params.append(wanted.skip_id)
    # CROSS JOIN keeps the full-text index as the outer loop, so its time order is used
    source = "request_fts CROSS JOIN requests r ON r.started_us = request_fts.rowid" if match else "requests r"
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM {source} WHERE {' AND '.join(conditions) or '1'}"
        f" ORDER BY {time_key} DESC LIMIT ?",
        (*params, max(0, wanted.limit)),
    ).fetchall()
    results = [_row(r) for r in rows]
    _attach_steps(conn, results)
    return results


def _attach_steps(conn: sqlite3.Connection, results: list[dict[str, Any]]) -> None:
    """Add each request's step commands, their exit statuses and touched files (one query for all)."""
    by_id = {r["id"]: r for r in results}
    for r in results:
        r["commands"], r["files"], r["exits"] = [], [], []
    if not by_id:
        return
    marks = ",".join("?" * len(by_id))
    for request_id, tool, command, files, exit_code in conn.execute(
        f"SELECT request_id, tool, command, files_json, exit_code FROM steps WHERE request_id IN ({marks})"
        " ORDER BY request_id, idx",
        list(by_id),
    ):
        entry = by_id[request_id]
        entry["commands"].append(command or tool)
        entry["exits"].append(exit_code)
        entry["files"].extend(f for f in json.loads(files) if f not in entry["files"])


def examples(conn: sqlite3.Connection, text: str, limit: int) -> list[tuple[str, str]]:
    """(request, plan) of past corrected requests most like `text`, best first, one per text.

    Each significant word brings its newest EXAMPLES_PER_WORD successful matches (so a rare word's
    old match is found even when common words match thousands of newer requests); candidates are
    scored by the words they share, a word weighing more the fewer matches it has, words in the
    request counting four times words in its commands; ties go to the newer. Cost: one short
    index walk per word, flat however long the history grows (FTS5's bm25 would count every match
    of every word on each call)."""
    tokens = [t for t in dict.fromkeys(words(text)) if t not in _STOPWORDS][:MAX_EXAMPLE_WORDS]
    if not tokens or limit <= 0:
        return []
    candidates: dict[int, tuple[str, str, str]] = {}
    weight: dict[str, float] = {}
    for token in tokens:
        rows = conn.execute(
            f"SELECT r.started_us, r.text, r.plan_json, r.commands FROM request_fts"
            f" CROSS JOIN requests r ON r.started_us = request_fts.rowid"
            f" WHERE request_fts MATCH ? AND {_CORRECTED} AND {_PLANNED} ORDER BY request_fts.rowid DESC LIMIT ?",
            (f'"{token}"', EXAMPLES_PER_WORD),
        ).fetchall()
        weight[token] = 1.0 + math.log(EXAMPLES_PER_WORD / len(rows)) if rows else 0.0
        for started_us, request, plan, commands in rows:
            candidates[started_us] = (request, plan, commands)

    def score(item: tuple[int, tuple[str, str, str]]) -> tuple[float, int]:
        started_us, (request, _plan, commands) = item
        in_request, in_commands = set(words(request)), set(words(commands))
        points = sum(weight[t] if t in in_request else 0.25 * weight[t] if t in in_commands else 0 for t in tokens)
        return points, started_us

    chosen: dict[str, str] = {}
    for _, (request, plan, _commands) in sorted(candidates.items(), key=score, reverse=True):
        chosen.setdefault(request, plan)
        if len(chosen) == limit:
            break
    return list(chosen.items())


def locked_plan(conn: sqlite3.Connection, key: int, text: str, context_key: str) -> str | None:
    row = conn.execute(
        f"SELECT r.plan_json FROM requests r WHERE r.lock_key = ? AND r.text = ? AND r.context_key = ?"
        f" AND {_SUCCEEDED} ORDER BY r.started_us DESC LIMIT 1",
        (key, text, context_key),
    ).fetchone()
    return row[0] if row else None


def recent_texts(conn: sqlite3.Connection, limit: int) -> list[str]:
    """Distinct request texts, most recent first (newest rows are read page by page until enough)."""
    seen: dict[str, None] = {}
    before = 1 << 62
    while len(seen) < limit:
        rows = conn.execute(
            "SELECT started_us, text FROM requests WHERE started_us < ? ORDER BY started_us DESC LIMIT ?",
            (before, max(limit * 2, 100)),
        ).fetchall()
        if not rows:
            break
        for started_us, text in rows:
            seen.setdefault(text, None)
            before = started_us
    return list(seen)[:limit]


def get(conn: sqlite3.Connection, request_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {_COLUMNS}, r.plan_json, r.context_key, r.asked FROM requests r WHERE r.id = ?",
                       (request_id,)).fetchone()
    if row is None:
        return None
    result = _row(row[:_COLUMN_COUNT])
    result["plan_json"], result["context_key"], result["asked"] = row[_COLUMN_COUNT:]
    result["steps"] = [
        {
            "index": idx, "tool": tool, "args": json.loads(args), "command": command, "risk": risk,
            "exit_code": code, "duration": duration, "output": output, "files": json.loads(files),
            "stderr": stderr,
        }
        for idx, tool, args, command, risk, code, duration, output, files, stderr in conn.execute(
            "SELECT idx, tool, args_json, command, risk, exit_code, duration, output, files_json, stderr"
            " FROM steps WHERE request_id = ? ORDER BY idx",
            (request_id,),
        )
    ]
    return result


def last_with_plan(conn: sqlite3.Connection, *, skip_roads: tuple[str, ...], skip_id: int | None) -> int | None:
    """The id of the newest request that has a plan, not answered by one of SKIP_ROADS: what a
    follow-up ("fix it", "do it again") is about."""
    marks = ",".join("?" * len(skip_roads)) or "''"
    row = conn.execute(
        f"SELECT r.id FROM requests r WHERE r.plan_json IS NOT NULL AND r.id != ?"
        f" AND (r.road IS NULL OR r.road NOT IN ({marks})) ORDER BY r.started_us DESC LIMIT 1",
        (-1 if skip_id is None else skip_id, *skip_roads),
    ).fetchone()
    return row[0] if row else None

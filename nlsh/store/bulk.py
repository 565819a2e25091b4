"""Bulk insertion of finished requests (history imports, the benchmark's million rows).

Ids are handed out here (max(id) + 1, ...) inside the caller's write transaction, so steps can point
at their request without a round trip per row, and executemany does the rest."""

from __future__ import annotations

import json
import sqlite3
from itertools import islice
from typing import Any, Iterable, Iterator

from nlsh.store.recall import lock_key
from nlsh.store.redact import MARK, redact, redact_json, redact_value

_REQUEST_COLUMNS = (
    "id", "started_us", "ended", "text", "cwd", "host", "mode", "model", "plan_json", "context_key",
    "decision", "outcome", "exit_code", "commands", "lock_key", "road",
)
_STEP_COLUMNS = (
    "request_id", "idx", "tool", "args_json", "command", "risk", "exit_code", "duration", "output", "files_json",
    "stderr",
)


def batches(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def unique_time_keys(conn: sqlite3.Connection, wanted: list[int]) -> list[int]:
    """`wanted` microsecond times made unique among themselves and against the table, by bumping
    a colliding one by a microsecond at a time (order and second-level accuracy are kept)."""
    if not wanted:
        return []
    low, high = min(wanted), max(wanted) + len(wanted)
    taken = {row[0] for row in conn.execute(
        "SELECT started_us FROM requests WHERE started_us BETWEEN ? AND ?", (low, high))}
    result = []
    for key in wanted:
        while key in taken:
            key += 1
        taken.add(key)
        result.append(key)
    return result


def _clean(value: str | None, redacting: bool) -> str | None:
    return redact(value) if redacting and value else value


def insert_batch(conn: sqlite3.Connection, records: list[dict[str, Any]], *, redacting: bool) -> int:
    """Insert `records` (requests columns; "steps" a list of steps columns with "args" and "files"
    as Python values) inside the open transaction. Returns how many requests were added."""
    next_id = (conn.execute("SELECT max(id) FROM requests").fetchone()[0] or 0) + 1
    times = unique_time_keys(conn, [round(r["started"] * 1_000_000) for r in records])
    request_rows, step_rows = [], []
    for offset, (record, started_us) in enumerate(zip(records, times)):
        request_id = next_id + offset
        steps = record.get("steps") or ()
        commands = [_clean(s.get("command"), redacting) for s in steps]
        text = _clean(record["text"], redacting) or ""
        plan = record.get("plan_json")
        plan = redact_json(plan) if redacting and plan else plan
        context_key = record.get("context_key")
        lockable = plan and context_key is not None and MARK not in plan and MARK not in text
        request_rows.append((
            request_id, started_us, record.get("ended"), text,
            record.get("cwd", ""), record.get("host"), record.get("mode", "import"), record.get("model"),
            plan, context_key, record.get("decision"), _clean(record.get("outcome"), redacting),
            record.get("exit_code"), "\n".join(c for c in commands if c),
            lock_key(text, context_key) if lockable else None, record.get("road"),
        ))
        for index, (step, command) in enumerate(zip(steps, commands)):
            args = step.get("args", {})
            step_rows.append((
                request_id, step.get("index", index), step["tool"],
                json.dumps(redact_value(args) if redacting else args, ensure_ascii=False, default=str),
                command, step.get("risk"), step.get("exit_code"), step.get("duration"),
                _clean(step.get("output"), redacting), json.dumps(step.get("files", [])),
                _clean(step.get("stderr"), redacting),
            ))
    conn.executemany(
        f"INSERT INTO requests ({', '.join(_REQUEST_COLUMNS)}) VALUES ({', '.join('?' * len(_REQUEST_COLUMNS))})",
        request_rows,
    )
    if step_rows:
        conn.executemany(
            f"INSERT INTO steps ({', '.join(_STEP_COLUMNS)}) VALUES ({', '.join('?' * len(_STEP_COLUMNS))})",
            step_rows,
        )
    return len(request_rows)

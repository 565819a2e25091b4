"""The history store: the only code that opens the SQLite database.

WAL mode lets readers run beside one writer; every write is one short BEGIN IMMEDIATE transaction
(taking the write lock up front, so the busy timeout applies instead of a deadlock between two
readers upgrading). Any SQLite failure leaves this module as StoreError, whose message says why
history could not be kept; the caller warns and carries on."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from nlsh.store import recall
from nlsh.store.bulk import unique_time_keys
from nlsh.store.recall import lock_key
from nlsh.store.migrations import migrate
from nlsh.store.redact import MARK, redact, redact_json, redact_value

DECISIONS = ("ran", "planned", "refused", "edited", "cancelled", "failed")  # planned: --dry-run or --print
OUTPUT_LIMIT = 4000  # characters of a step's output kept
STDERR_LIMIT = 2000  # characters kept of the END of a step's error output: where the reason usually is


class StoreError(Exception):
    """History could not be read or kept; the message says why."""


def _why(exc: sqlite3.Error, timeout: float) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"the database stayed locked by another process for more than {timeout:g} s"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only"
    if "full" in text:
        return "the disk (or the database's size limit) is full"
    if "unable to open" in text:
        return "cannot open the database file (is its directory writable?)"
    return text


class HistoryStore:
    def __init__(self, conn: sqlite3.Connection, path: Path, busy_timeout: float):
        self._conn = conn
        self.path = path
        self._timeout = busy_timeout
        self._lock = threading.Lock()  # the REPL may load prompt history from another thread

    @classmethod
    def open(cls, path: Path, *, busy_timeout: float = 10.0) -> "HistoryStore":
        """Open (creating the directory and database if needed) and migrate."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from None
        conn = None
        try:
            conn = sqlite3.connect(
                str(path), timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
            conn.execute("PRAGMA foreign_keys=ON")
            migrate(conn)
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise StoreError(f"cannot open {path}: {_why(exc, busy_timeout)}") from None
        return cls(conn, path, busy_timeout)

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
            except sqlite3.Error as exc:
                raise StoreError(f"{_why(exc, self._timeout)} ({self.path}, {what})") from None

    def _rollback(self) -> None:
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the transaction is gone either way

    @contextmanager
    def _read(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read {self.path} ({what}): {_why(exc, self._timeout)}") from None

    # -- recording ------------------------------------------------------------------------------

    def begin(self, text: str, *, cwd: str, mode: str, model: str, host: str | None = None,
              road: str | None = None, asked: str | None = None) -> int:
        with self._write("begin") as conn:
            (started_us,) = unique_time_keys(conn, [time.time_ns() // 1000])
            cursor = conn.execute(
                "INSERT INTO requests (started_us, text, cwd, host, mode, model, road, asked)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (started_us, redact(text), str(cwd), host or socket.gethostname(), mode, model, road,
                 redact(asked) if asked else None),
            )
            return int(cursor.lastrowid)

    def set_plan(self, request_id: int, plan_json: str, context_key: str, *, replayable: bool = True) -> None:
        """Keep the request's plan; a replayable one may be replayed for the same request later."""
        plan = redact_json(plan_json)
        with self._write("plan") as conn:
            row = conn.execute("SELECT text FROM requests WHERE id = ?", (request_id,)).fetchone()
            if row is None:
                raise StoreError(f"no request {request_id} in {self.path}")
            # a plan or request with a secret cut out must never be replayed
            key = None if MARK in plan or MARK in row[0] or not replayable else lock_key(row[0], context_key)
            conn.execute(
                "UPDATE requests SET plan_json = ?, context_key = ?, lock_key = ? WHERE id = ?",
                (plan, context_key, key, request_id),
            )

    def add_step(
        self,
        request_id: int,
        *,
        index: int,
        tool: str,
        args: dict,
        command: str | None,
        risk: str,
        exit_code: int | None,
        duration: float,
        output: str,
        files: list[str],
        stderr: str | None = None,
    ) -> None:
        command = redact(command) if command else command
        excerpt = redact(output or "")[:OUTPUT_LIMIT]
        error_tail = redact(stderr)[-STDERR_LIMIT:] if stderr else None
        with self._write("step") as conn:
            conn.execute(
                "INSERT INTO steps (request_id, idx, tool, args_json, command, risk, exit_code, duration,"
                " output, files_json, stderr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    request_id, index, tool, json.dumps(redact_value(args), ensure_ascii=False, default=str),
                    command, risk, exit_code, duration, excerpt, json.dumps([str(f) for f in files]), error_tail,
                ),
            )
            if command:
                conn.execute(
                    "UPDATE requests SET commands = CASE commands WHEN '' THEN ?1 ELSE commands || char(10) || ?1 END"
                    " WHERE id = ?2",
                    (command, request_id),
                )

    def finish(self, request_id: int, *, decision: str, outcome: str, exit_code: int) -> None:
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        with self._write("finish") as conn:
            conn.execute(
                "UPDATE requests SET ended = ?, decision = ?, outcome = ?, exit_code = ? WHERE id = ?",
                (time.time(), decision, redact(outcome), exit_code, request_id),
            )

    def add_many(self, records: Iterable[dict[str, Any]], *, batch: int = 50_000, redacting: bool = True) -> int:
        """Insert finished requests in bulk (imports, benchmarks): a few big transactions instead of
        one per row. Each record holds requests columns plus an optional "steps" list; see bulk.py."""
        from nlsh.store.bulk import batches, insert_batch

        count = 0
        for chunk in batches(records, batch):
            with self._write("bulk insert") as conn:
                count += insert_batch(conn, chunk, redacting=redacting)
        return count

    # -- recall ---------------------------------------------------------------------------------

    def locked_plan(self, text: str, context_key: str) -> str | None:
        cleaned = redact(text)
        if cleaned != text:
            return None
        with self._read("plan lock") as conn:
            return recall.locked_plan(conn, lock_key(cleaned, context_key), cleaned, context_key)

    def examples(self, text: str, limit: int = 3) -> list[tuple[str, str]]:
        with self._read("examples") as conn:
            return recall.examples(conn, redact(text), limit)

    def search(
        self,
        query: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        cwd: str | None = None,
        failed: bool = False,
        limit: int = 50,
    ) -> list[dict]:
        with self._read("search") as conn:
            return recall.search(conn, query, since=since, until=until, cwd=cwd, failed=failed, limit=limit)

    def find(self, wanted: recall.Filter) -> list[dict]:
        with self._read("search") as conn:
            return recall.find(conn, wanted)

    def last_with_plan(self, *, skip_roads: tuple[str, ...] = (), skip_id: int | None = None) -> dict | None:
        """The newest request with a plan (its steps included), not answered by one of SKIP_ROADS."""
        with self._read("last request") as conn:
            found = recall.last_with_plan(conn, skip_roads=skip_roads, skip_id=skip_id)
            return recall.get(conn, found) if found is not None else None

    def forget_plan(self, text: str, context_key: str) -> int:
        """Never replay the plans remembered for TEXT in this context again ("that's not what I
        meant"); returns how many were forgotten. The requests themselves stay in the history."""
        cleaned = redact(text)
        with self._write("forget plan") as conn:
            return conn.execute(
                "UPDATE requests SET lock_key = NULL WHERE lock_key = ? AND text = ? AND context_key = ?",
                (lock_key(cleaned, context_key), cleaned, context_key),
            ).rowcount

    def get(self, request_id: int) -> dict | None:
        """One request with its plan and full step records (output excerpts included)."""
        with self._read("get") as conn:
            return recall.get(conn, request_id)

    def recent_texts(self, limit: int = 1000) -> list[str]:
        with self._read("recent") as conn:
            return recall.recent_texts(conn, limit)

    def imported_keys(self) -> set[tuple[int, str]]:
        """(time in milliseconds, text) of every imported entry, so importing a file twice adds
        nothing (milliseconds: a time bumped by a microsecond to stay unique still matches)."""
        with self._read("imports") as conn:
            return {(r[0] // 1000, r[1]) for r in conn.execute(
                "SELECT started_us, text FROM requests WHERE mode = 'import'")}

    def close(self) -> None:
        with self._lock:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

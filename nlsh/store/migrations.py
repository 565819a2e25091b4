"""The history schema, as an ordered list of migrations applied on every open.

Each migration is a function `mNNN_name(conn)`; its name is recorded in `_migrations` in the same
transaction as its changes, so a process killed half way leaves either all of it or none of it.
Add new ones at the end; never edit one that has shipped."""

from __future__ import annotations

import sqlite3
import time
from typing import Callable

Migration = Callable[[sqlite3.Connection], None]


def m001_initial(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE requests (
            id INTEGER PRIMARY KEY,
            -- microseconds since the epoch, bumped by one on a collision: orders requests by time
            -- (imported history included) and is the full-text index's rowid, so a search can walk
            -- its matches newest first and stop after LIMIT
            started_us INTEGER NOT NULL UNIQUE,
            ended REAL,                     -- unix time
            text TEXT NOT NULL,             -- redacted
            cwd TEXT NOT NULL DEFAULT '',
            host TEXT,
            mode TEXT NOT NULL,             -- repl / one-shot / pipe / import
            model TEXT,
            plan_json TEXT,                 -- redacted
            context_key TEXT,
            decision TEXT,                  -- ran / refused / edited / cancelled / failed; NULL while running
            outcome TEXT,
            exit_code INTEGER,
            commands TEXT NOT NULL DEFAULT '' -- step command lines, one a line, for full-text search
        );
        CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            tool TEXT NOT NULL,
            args_json TEXT NOT NULL,
            command TEXT,
            risk TEXT,
            exit_code INTEGER,
            duration REAL,
            output TEXT,                    -- an excerpt, redacted
            files_json TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX steps_request ON steps(request_id);
        """
    )


def m002_full_text(conn: sqlite3.Connection) -> None:
    """FTS5 over request text and step commands, kept in step with `requests` by triggers (so bulk
    inserts and crashes cannot leave the index behind the table)."""
    conn.executescript(
        """
        CREATE VIRTUAL TABLE request_fts USING fts5(
            text, commands, content='requests', content_rowid='started_us',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER requests_fts_insert AFTER INSERT ON requests BEGIN
            INSERT INTO request_fts(rowid, text, commands) VALUES (new.started_us, new.text, new.commands);
        END;
        CREATE TRIGGER requests_fts_delete AFTER DELETE ON requests BEGIN
            INSERT INTO request_fts(request_fts, rowid, text, commands)
                VALUES ('delete', old.started_us, old.text, old.commands);
        END;
        CREATE TRIGGER requests_fts_update AFTER UPDATE OF started_us, text, commands ON requests BEGIN
            INSERT INTO request_fts(request_fts, rowid, text, commands)
                VALUES ('delete', old.started_us, old.text, old.commands);
            INSERT INTO request_fts(rowid, text, commands) VALUES (new.started_us, new.text, new.commands);
        END;
        INSERT INTO request_fts(request_fts) VALUES ('rebuild');
        """
    )


def m003_plan_lock(conn: sqlite3.Connection) -> None:
    """A 63-bit hash of (text, context key) with a partial index, so finding a plan to replay is one
    index probe however large the history grows (an index on the text itself would double its size)."""
    conn.executescript(
        """
        ALTER TABLE requests ADD COLUMN lock_key INTEGER;
        CREATE INDEX requests_lock_key ON requests(lock_key, started_us) WHERE lock_key IS NOT NULL;
        """
    )


def m004_roads(conn: sqlite3.Connection) -> None:
    """Which road answered a request (shell, english, recall, undo, a follow-up such as fix or again;
    NULL for older rows and imports); what the planner was asked when that was not the request's own
    words ("fix it" carries the failed command), so "that's not what I meant" can ask it again; and
    the end of each step's error output, so "why did that fail" and "fix it" can say what the
    command said."""
    conn.executescript(
        """
        ALTER TABLE requests ADD COLUMN road TEXT;
        ALTER TABLE requests ADD COLUMN asked TEXT;
        ALTER TABLE steps ADD COLUMN stderr TEXT;
        """
    )


MIGRATIONS: list[Migration] = [m001_initial, m002_full_text, m003_plan_lock, m004_roads]


def applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied REAL NOT NULL)")
    return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]


def migrate(conn: sqlite3.Connection, migrations: list[Migration] | None = None) -> list[str]:
    """Apply the migrations not yet recorded, in one write transaction; return the names applied.

    `conn` must be in autocommit mode (isolation_level=None). BEGIN IMMEDIATE takes the write lock
    before looking, so two processes opening a new database at once do not both migrate it."""
    todo = MIGRATIONS if migrations is None else migrations
    conn.execute("BEGIN IMMEDIATE")
    try:
        done = set(applied(conn))
        names = []
        for migration in todo:
            if migration.__name__ in done:
                continue
            # executescript would COMMIT our transaction; run the statements one by one instead
            _run_in_transaction(conn, migration)
            conn.execute(
                "INSERT INTO _migrations (name, applied) VALUES (?, ?)", (migration.__name__, time.time())
            )
            names.append(migration.__name__)
        conn.execute("COMMIT")
        return names
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class _NoCommitScript:
    """A connection stand-in whose executescript runs statements inside the open transaction
    (sqlite3's own executescript commits first, which would break the all-or-nothing promise)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def executescript(self, script: str) -> None:
        for statement in _statements(script):
            self._conn.execute(statement)

    def execute(self, *args):
        return self._conn.execute(*args)


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (a `;` inside a trigger body or a string does not
    end one; sqlite3.complete_statement knows)."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip() != ";":
                statements.append(current.strip())
            current = ""
    return statements


def _run_in_transaction(conn: sqlite3.Connection, migration: Migration) -> None:
    migration(_NoCommitScript(conn))  # type: ignore[arg-type]

import multiprocessing
import sqlite3

from nlsh.store.history import HistoryStore
from nlsh.store.migrations import MIGRATIONS, applied, m001_initial, migrate


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')")}


def test_migrations_from_an_empty_database(tmp_path):
    conn = sqlite3.connect(tmp_path / "h.db", isolation_level=None)
    names = migrate(conn)
    assert names == [m.__name__ for m in MIGRATIONS]
    assert names[0] == "m001_initial"
    assert {"requests", "steps", "request_fts", "requests_lock_key", "_migrations"} <= _tables(conn)
    assert applied(conn) == names
    assert migrate(conn) == []  # the second open has nothing to do


def test_migration_functions_are_numbered_in_order():
    numbers = [int(m.__name__[1:4]) for m in MIGRATIONS]
    assert numbers == list(range(1, len(MIGRATIONS) + 1))


def test_open_applies_pending_migrations_to_an_old_database(tmp_path):
    """A database left at m001 with rows in it: opening brings it up to date, and the full-text
    index built by m002 covers the rows that were already there."""
    path = tmp_path / "h.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, [m001_initial])
    conn.execute(
        "INSERT INTO requests (started_us, text, mode, decision, exit_code) VALUES (?, ?, 'repl', 'ran', 0)",
        (1_700_000_000_000_000, "compress the nginx logs"),
    )
    conn.close()

    store = HistoryStore.open(path)
    try:
        found = store.search("nginx")
        assert [r["text"] for r in found] == ["compress the nginx logs"]
        assert applied(store._conn) == [m.__name__ for m in MIGRATIONS]
    finally:
        store.close()


def test_a_failing_migration_leaves_nothing_half_done(tmp_path):
    conn = sqlite3.connect(tmp_path / "h.db", isolation_level=None)

    def m002_broken(c):
        c.executescript("CREATE TABLE extra (x); CREATE TABLE extra (x);")  # the second one fails

    try:
        migrate(conn, [m001_initial, m002_broken])
    except sqlite3.OperationalError:
        pass
    else:
        raise AssertionError("the broken migration should have failed")
    assert applied(conn) == []
    assert "requests" not in _tables(conn) and "extra" not in _tables(conn)


def test_database_is_in_wal_mode(tmp_path):
    HistoryStore.open(tmp_path / "h.db").close()
    conn = sqlite3.connect(tmp_path / "h.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _open_and_count(path: str, queue) -> None:
    store = HistoryStore.open(path)
    store.finish(store.begin("hello", cwd="/", mode="repl", model="m"), decision="ran", outcome="ok", exit_code=0)
    store.close()
    queue.put("ok")


def test_processes_opening_a_new_database_at_once_migrate_it_once(tmp_path):
    path = str(tmp_path / "new" / "h.db")
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_open_and_count, args=(path, queue)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("SELECT count(*) FROM requests").fetchone()[0] == 4

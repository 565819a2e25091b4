"""The store under stress: writers in parallel, a writer killed mid-transaction, a database that cannot
be written. Real processes and real files; no timing asserts."""

import multiprocessing
import os
import signal
import sqlite3
import stat
import tempfile
import time
from pathlib import Path

import pytest

from nlsh.store.history import HistoryStore, StoreError

FORK = multiprocessing.get_context("fork")
NOBODY = 65534


def record(store: HistoryStore, text: str, code: int = 0) -> int:
    rid = store.begin(text, cwd="/work", mode="repl", model="m")
    store.set_plan(rid, '{"steps": []}', "ctx")
    store.add_step(rid, index=0, tool="shell", args={"command": f"echo {text}"}, command=f"echo {text}",
                   risk="read", exit_code=code, duration=0.01, output=text, files=[])
    store.finish(rid, decision="ran", outcome="ok", exit_code=code)
    return rid


def check_consistent(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO request_fts(request_fts, rank) VALUES ('integrity-check', 1)")
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn


def _writer(path: str, name: str, count: int, start, errors) -> None:
    store = HistoryStore.open(Path(path))
    start.wait(30)
    for i in range(count):
        try:
            record(store, f"{name} request {i}")
        except StoreError as exc:  # the test fails if any write was refused
            errors.put(f"{name} {i}: {exc}")
    store.close()


def test_three_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "history.db"
    HistoryStore.open(path).close()
    start, errors = FORK.Event(), FORK.Queue()
    count = 150
    writers = [FORK.Process(target=_writer, args=(str(path), name, count, start, errors))
               for name in ("repl-one", "repl-two", "script")]
    for w in writers:
        w.start()
    start.set()
    for w in writers:
        w.join(300)
    assert [w.exitcode for w in writers] == [0, 0, 0]
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    conn = check_consistent(path)
    assert conn.execute("SELECT count(*) FROM requests WHERE decision = 'ran'").fetchone()[0] == 3 * count
    assert conn.execute("SELECT count(*) FROM steps").fetchone()[0] == 3 * count
    for name in ("repl-one", "repl-two", "script"):
        texts = {r[0] for r in conn.execute("SELECT text FROM requests WHERE text LIKE ?", (f"{name} %",))}
        assert texts == {f"{name} request {i}" for i in range(count)}


def _killed_inside_a_transaction(path: str, ready) -> None:
    store = HistoryStore.open(Path(path))
    rid = store.begin("half done", cwd="/", mode="repl", model="m")
    store.add_step(rid, index=0, tool="shell", args={}, command="sleep 1000", risk="read", exit_code=None,
                   duration=0, output="", files=[])
    conn = store._conn  # hold the write lock with an uncommitted request, as a crash mid-write would
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO requests (started_us, text, mode) VALUES (1, 'never committed', 'repl')")
    ready.set()
    time.sleep(600)


def test_sigkill_during_a_write_leaves_a_consistent_database(tmp_path):
    path = tmp_path / "history.db"
    ready = FORK.Event()
    child = FORK.Process(target=_killed_inside_a_transaction, args=(str(path), ready))
    child.start()
    assert ready.wait(60)
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    assert child.exitcode == -signal.SIGKILL

    store = HistoryStore.open(path, busy_timeout=5)  # opens, migrates, and the lock is gone
    try:
        [entry] = store.search()
        assert entry["text"] == "half done" and entry["decision"] == "unfinished"
        assert entry["commands"] == ["sleep 1000"]
        assert store.search("committed") == []
        record(store, "after the crash")
    finally:
        store.close()
    check_consistent(path)


def _record_forever(path: str) -> None:
    store = HistoryStore.open(Path(path))
    i = 0
    while True:
        record(store, f"loop {i}", code=i % 3)
        i += 1


def test_sigkill_at_a_random_moment_leaves_a_consistent_database(tmp_path):
    path = tmp_path / "history.db"
    HistoryStore.open(path).close()
    child = FORK.Process(target=_record_forever, args=(str(path),))
    child.start()
    reader = sqlite3.connect(path)
    deadline = time.monotonic() + 120
    while reader.execute("SELECT count(*) FROM requests").fetchone()[0] < 200 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    reader.close()

    store = HistoryStore.open(path)
    record(store, "after the crash")
    store.close()
    conn = check_consistent(path)
    finished = conn.execute("SELECT count(*) FROM requests WHERE decision = 'ran'").fetchone()[0]
    assert finished >= 200
    # every finished request has its step and the step's command in the searchable column
    broken = conn.execute(
        "SELECT count(*) FROM requests r WHERE decision = 'ran' AND (commands = ''"
        " OR NOT EXISTS (SELECT 1 FROM steps s WHERE s.request_id = r.id))"
    ).fetchone()[0]
    assert broken == 0


def _try_as_another_user(path: str, results) -> None:
    """Run as a user who may read but not write the database (root ignores file modes)."""
    if os.geteuid() == 0:
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    try:
        store = HistoryStore.open(Path(path))
    except StoreError as exc:
        results.put(("open", str(exc)))
        return
    try:
        store.begin("should not be kept", cwd="/", mode="repl", model="m")
    except StoreError as exc:
        results.put(("write", str(exc)))
        return
    results.put(("kept", ""))


@pytest.fixture
def shared_dir():
    """A directory another user can enter (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="nlsh-ro-"))
    os.chmod(path, 0o755)
    yield path
    os.chmod(path, 0o755)
    for p in path.iterdir():
        p.unlink()
    path.rmdir()


def _attempt(path: Path) -> tuple[str, str]:
    results = FORK.Queue()
    child = FORK.Process(target=_try_as_another_user, args=(str(path), results))
    child.start()
    child.join(60)
    return results.get(timeout=10)


def test_read_only_database_file_raises_store_error(shared_dir):
    path = shared_dir / "history.db"
    record(HistoryStore.open(path), "already here")
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    if os.geteuid() != 0:
        os.chmod(shared_dir, 0o755)
    where, message = _attempt(path)
    # a WAL database cannot even be read without writing its -shm file: open already refuses
    assert where in ("open", "write")
    assert "read-only" in message and str(path) in message


def test_read_only_directory_raises_store_error(shared_dir):
    path = shared_dir / "history.db"
    HistoryStore.open(path).close()
    os.chmod(path, 0o644)
    os.chmod(shared_dir, 0o555)
    where, message = _attempt(path)
    assert where in ("open", "write")
    assert ("read-only" in message or "cannot open" in message) and str(path) in message


def test_full_disk_raises_store_error_and_later_writes_work_again(tmp_path):
    store = HistoryStore.open(tmp_path / "history.db")
    try:
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: as a full disk
        with pytest.raises(StoreError, match="full"):
            for i in range(1000):
                record(store, f"filler {i} " + "x" * 2000)
        store._conn.execute("PRAGMA max_page_count = 1000000")
        record(store, "room again")
        assert store.search("room")[0]["text"] == "room again"
    finally:
        store.close()
    check_consistent(tmp_path / "history.db")


def test_a_lock_held_past_the_timeout_raises_store_error_and_reads_still_work(tmp_path):
    path = tmp_path / "history.db"
    store = HistoryStore.open(path, busy_timeout=0.2)
    record(store, "before the lock")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked by another process for more than 0.2 s"):
            store.begin("while locked", cwd="/", mode="repl", model="m")
        assert [r["text"] for r in store.search()] == ["before the lock"]  # WAL: readers are not blocked
    finally:
        other.execute("ROLLBACK")
        other.close()
    record(store, "after the lock")
    assert len(store.search()) == 2
    store.close()


def test_a_path_that_cannot_be_a_directory_raises_store_error(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create"):
        HistoryStore.open(tmp_path / "file" / "history.db")

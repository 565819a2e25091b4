"""How the history store scales: recall and recording times on a big database, and its size.

    python tools/bench_history.py [--quick]

Fills a fresh database with 1,000,000 synthetic requests (100,000 with --quick) through the store's
bulk path, then measures medians of: full-text search, time-range search, examples for the kernel,
recording one request (begin + set_plan + add_step + finish), and the size per 1,000 requests.
Targets (issue 6): recall under 20 ms, recording under 2 ms."""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlsh.store.history import HistoryStore  # noqa: E402

RECALL_TARGET_MS = 20.0
RECORD_TARGET_MS = 2.0
SPAN_DAYS = 730  # the synthetic history covers two years

_VERBS = ["show", "list", "find", "count", "compress", "delete", "back up", "copy", "search", "tail",
          "restart", "check", "download", "rename", "sort", "archive", "grep", "watch", "kill", "open"]
_OBJECTS = ["big files", "log errors", "docker containers", "python processes", "open ports", "pdf files",
            "git branches", "nginx logs", "old backups", "photos", "cron jobs", "disk usage", "dns records",
            "ssh keys", "csv files", "memory usage", "failed services", "node modules", "tar archives", "mail"]
_PLACES = ["in ~/Downloads", "under /var/log", "in this repo", "on the server", "in /tmp", "here",
           "in ~/projects", "in the home directory", "from yesterday", "older than a week"]
_TOOLS = ["shell", "find_files", "list_processes", "disk_usage", "read_file", "http_get"]
_CWDS = ["/home/ana", "/home/ana/projects/site", "/home/ana/Downloads", "/var/log", "/srv/backup", "/tmp"]


def _names(rng: random.Random, count: int) -> list[str]:
    """Made-up project names: rare words, so searches with different selectivity exist."""
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do", "gu", "fy", "xe"]
    return ["".join(rng.choice(syllables) for _ in range(3)) + str(i % 10) for i in range(count)]


def synthetic_requests(count: int, seed: int = 6) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    names = _names(rng, 5000)
    start = time.time() - SPAN_DAYS * 86400
    step = SPAN_DAYS * 86400 / count
    for i in range(count):
        verb, obj, place = rng.choice(_VERBS), rng.choice(_OBJECTS), rng.choice(_PLACES)
        name = rng.choice(names)
        text = f"{verb} {obj} {place} for {name}" if rng.random() < 0.3 else f"{verb} {obj} {place}"
        command = f"{verb.split()[0]} --{obj.split()[0]} {place.split()[-1]} {name}"
        code = 0 if rng.random() < 0.9 else rng.choice([1, 2, 127])
        tool = rng.choice(_TOOLS)
        started = start + i * step
        yield {
            "started": started, "ended": started + 0.8, "text": text, "cwd": rng.choice(_CWDS), "host": "bench",
            "mode": "repl", "model": "qwen2.5-1.5b", "context_key": f"ctx{i % 97}",
            "plan_json": json.dumps({"steps": [{"tool": tool, "args": {"command": command}}]}),
            "decision": "ran", "outcome": "ok" if code == 0 else f"exit {code}", "exit_code": code,
            "steps": [{"tool": tool, "args": {"command": command}, "command": command, "risk": "read",
                       "exit_code": code, "duration": 0.5, "output": f"{rng.randrange(10**6)} lines\n", "files": []}],
        }


def _median_ms(action: Callable[[], Any], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def _row(name: str, value: float, unit: str, reference: float | None) -> dict[str, Any]:
    ratio = round(value / reference, 3) if reference else None
    return {"name": name, "value": round(value, 3), "unit": unit, "reference": reference, "ratio": ratio}


def _record_one(store: HistoryStore, i: int) -> None:
    rid = store.begin(f"show disk usage in /srv/data{i}", cwd="/srv", mode="one-shot", model="bench")
    store.set_plan(rid, '{"steps": [{"tool": "shell", "args": {"command": "du -sh /srv"}}]}', "ctx-bench")
    store.add_step(rid, index=0, tool="shell", args={"command": "du -sh /srv"}, command="du -sh /srv",
                   risk="read", exit_code=0, duration=0.1, output="12G /srv\n", files=[])
    store.finish(rid, decision="ran", outcome="ok", exit_code=0)


def bench(quick: bool, *, count: int | None = None) -> list[dict[str, Any]]:
    """Rows of {"name", "value", "unit", "reference", "ratio"}; `count` overrides the size (tests)."""
    count = count or (100_000 if quick else 1_000_000)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="nlsh-bench-") as tmp:
        path = Path(tmp) / "history.db"
        store = HistoryStore.open(path)
        began = time.perf_counter()
        store.add_many(synthetic_requests(count), batch=100_000, redacting=False)
        fill_seconds = time.perf_counter() - began

        names = _names(random.Random(6), 5000)
        queries = [rng.choice(names) for _ in range(10)]  # rare words
        queries += [f"{rng.choice(_OBJECTS).split()[0]} {rng.choice(names)}" for _ in range(10)]  # word pairs
        queries += [rng.choice(_OBJECTS) for _ in range(10)]  # common phrases (about 5% of requests)
        full_text = [_median_ms(lambda q=q: store.search(q, limit=50), repeat=3) for q in queries]

        now = datetime.now()
        windows = []
        for _ in range(30):
            end = now - timedelta(days=rng.uniform(0, SPAN_DAYS))
            windows.append((end - timedelta(days=rng.choice([1, 7, 30])), end))
        time_range = [_median_ms(lambda w=w: store.search(since=w[0], until=w[1], limit=50)) for w in windows]
        combined = [_median_ms(lambda q=q, w=w: store.search(q.split()[0], since=w[0], until=w[1], cwd="/home/ana",
                                                            limit=50)) for q, w in zip(queries[20:], windows)]
        examples = [_median_ms(lambda q=q: store.examples(f"please {q} in my folder", 3)) for q in queries]

        _record_one(store, -1)  # warm the write path once
        record = [_median_ms(lambda i=i: _record_one(store, i)) for i in range(300)]
        locked = [_median_ms(lambda i=i: store.locked_plan(f"show disk usage in /srv/data{i}", "ctx-bench"))
                  for i in range(0, 300, 10)]
        assert all(store.locked_plan(f"show disk usage in /srv/data{i}", "ctx-bench") for i in range(0, 300, 10))
        store.close()  # checkpoints the WAL into the main file
        size = sum(p.stat().st_size for p in Path(tmp).glob("history.db*"))

    return [
        _row(f"fill {count:,} requests (bulk)", count / fill_seconds, "requests/s", None),
        _row("recall: full-text search, median", statistics.median(full_text), "ms", RECALL_TARGET_MS),
        _row("recall: full-text search, worst of 30", max(full_text), "ms", None),
        _row("recall: time-range search, median", statistics.median(time_range), "ms", RECALL_TARGET_MS),
        _row("recall: words + time range + cwd, median", statistics.median(combined), "ms", RECALL_TARGET_MS),
        _row("recall: examples for the kernel, median", statistics.median(examples), "ms", RECALL_TARGET_MS),
        _row("recall: plan lock lookup, median", statistics.median(locked), "ms", RECALL_TARGET_MS),
        _row("record one request (4 writes), median", statistics.median(record), "ms", RECORD_TARGET_MS),
        _row("database size per 1,000 requests", size / count * 1000 / 1024, "KiB", None),
    ]


def _print_table(rows: list[dict[str, Any]]) -> None:
    width = max(len(r["name"]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>12}  unit        target  ratio")
    for r in rows:
        target = "" if r["reference"] is None else f"< {r['reference']:g}"
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.3f}"
        print(f"{r['name']:<{width}}  {r['value']:>12,.3f}  {r['unit']:<10}  {target:>6}  {ratio}")


if __name__ == "__main__":
    _print_table(bench(quick="--quick" in sys.argv[1:]))

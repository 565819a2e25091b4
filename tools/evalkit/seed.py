"""A seeded history for `eval.py --seed-history FILE`: past requests, written for this project (never
taken from the evaluation tasks), recorded as accepted and successful so nlsh pages the most similar
ones into the model's context as examples. Issue 6: what do examples from history change?

The database is built once per run; each nlsh run gets its own copy as its NLSH_HOME's data
directory, so what one task records never reaches the next."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .model_files import REPO_ROOT

# The plan lock replays a plan for the same text in the same context (a hash of cwd, model, ...).
# No session computes this key, so the seed can only ever be shown as examples, never replayed.
SEED_CONTEXT_KEY = "seed"
DB_NAME = "history.db"  # nlsh/paths.py: <NLSH_HOME>/data/history.db


def load_seed(path: Path) -> list[tuple[str, str]]:
    """(request, command) pairs from a JSONL file of {"request": ..., "command": ...} objects."""
    pairs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        entry = json.loads(line)
        request, command = entry.get("request"), entry.get("command")
        if not (isinstance(request, str) and request.strip() and isinstance(command, str) and command.strip()):
            raise ValueError(f"{path}:{number}: needs a non-empty \"request\" and \"command\"")
        pairs.append((request, command))
    return pairs


def seed_records(pairs: list[tuple[str, str]], now: float) -> list[dict]:
    """Records for HistoryStore.add_many: one shell step each, a correction the person made
    (decision 'edited': only those are examples for the planner), exit code 0. Times go back an
    hour per entry so the file's first line is the newest (recall breaks ties by recency)."""
    records = []
    for age, (request, command) in enumerate(pairs, 1):
        started = now - 3600 * age
        step = {"tool": "shell", "args": {"command": command}, "command": command, "risk": None,
                "exit_code": 0, "duration": 0.1, "output": "", "files": []}
        records.append({
            "text": request, "started": started, "ended": started + 1, "cwd": "/home/user",
            "mode": "seed", "model": "seed", "context_key": SEED_CONTEXT_KEY,
            "plan_json": json.dumps({"steps": [{"tool": "shell", "args": {"command": command}}]}),
            "decision": "edited", "outcome": "ok", "exit_code": 0, "steps": [step],
        })
    return records


def build_seed_db(seed_file: Path, directory: Path, now: float | None = None) -> Path:
    """Write the seeded history database into `directory` (made if needed) and return its path."""
    if str(REPO_ROOT) not in sys.path:  # the nlsh beside this harness, as model_files.py does
        sys.path.insert(0, str(REPO_ROOT))
    from nlsh.store.history import HistoryStore

    path = Path(directory) / DB_NAME
    records = seed_records(load_seed(seed_file), time.time() if now is None else now)
    with HistoryStore.open(path) as store:
        store.add_many(records)
    return path


def fresh_data_dir(seed_db: Path, workspace: Path) -> Path:
    """A new directory under `workspace` holding a copy of the seeded database (and its WAL
    files, if SQLite left any), to bind as one run's <NLSH_HOME>/data."""
    target = Path(tempfile.mkdtemp(prefix="history-", dir=workspace))
    target.chmod(0o755)
    for part in Path(seed_db).parent.glob(Path(seed_db).name + "*"):
        shutil.copy2(part, target / part.name)
    return target

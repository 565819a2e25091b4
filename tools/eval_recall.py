#!/usr/bin/env python3
"""Recall end to end: seed a history (tests/data/recall_seed.json: requests on different days, in
different places, with different outcomes), ask English questions (tests/data/recall_questions.tsv)
through nlsh's dispatcher exactly as a person would, and score the rows that come back.

    python tools/eval_recall.py          # per-question table, then precision and recall

Precision: of the rows returned, how many were expected; recall: of the rows expected, how many were
returned (both over all questions together). "Now" is fixed by the seed (a Wednesday afternoon), so
"yesterday" and "this week" mean the same on every run."""

from __future__ import annotations

import io
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO / "tests" / "data"


@dataclass
class Answer:
    question: str
    expected: set[str]
    returned: list[str]
    routed: bool = True  # False: the question went to the planner, not to recall

    @property
    def hits(self) -> int:
        return len(self.expected & set(self.returned))


def _started(now: datetime, day: int, at: str) -> float:
    hour, minute = (int(x) for x in at.split(":"))
    moment = (now - timedelta(days=day)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment.timestamp()


def seed(store, root: Path, data: dict, now: datetime) -> dict[str, str]:
    """Write the seed's requests into STORE with their places under ROOT; returns text -> id."""
    from nlsh.kernel.plan import Plan, Step

    for repo in data["repos"]:
        (root / repo / ".git").mkdir(parents=True, exist_ok=True)
    records = []
    for r in data["requests"]:
        steps = [Step("shell", {"command": command}) for command, *_ in r["steps"]]
        records.append({
            "started": _started(now, r["day"], r["at"]), "ended": _started(now, r["day"], r["at"]) + 2,
            "text": r["text"], "cwd": str((root / r["cwd"]).resolve()), "mode": "repl", "road": r.get("road", "english"),
            "decision": r["decision"], "exit_code": r["exit"], "plan_json": Plan(steps).to_json() if steps else None,
            "steps": [{"index": i, "tool": "shell", "args": {"command": command}, "command": command, "risk": risk,
                       "exit_code": code, "files": [str(root / f) if not f.startswith("/") else f for f in files]}
                      for i, (command, risk, code, files) in enumerate(r["steps"], 1)],
        })
    store.add_many(records)
    return {r["text"]: r["id"] for r in data["requests"]}


def ask(question: str, store, cwd: Path) -> list[dict] | None:
    """The rows nlsh answers QUESTION with, asked through the dispatcher (never a model)."""
    from rich.console import Console

    from nlsh.models.scripted import ScriptedModel
    from nlsh.session import Options, Session, SessionIO
    from nlsh.tools.registry import load_registry

    out = io.StringIO()
    model = ScriptedModel([])
    io_ = SessionIO(out=out, err=Console(file=io.StringIO()))
    Session(Options(as_json=True), io_, load_registry(), model=model, store=store, cwd=cwd).run(question)
    if model.prompts:  # not routed to recall: it answered nothing from the history
        return None
    text = out.getvalue().strip()
    return json.loads(text) if text else []


SETS = ("recall_questions.tsv", "recall_heldout.tsv")  # the second was written after the rules, never tuned on


def questions(name: str) -> list[tuple[str, set[str], str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            question, expected, *where = line.split("\t")
            rows.append((question, set() if expected == "-" else set(expected.split(",")), where[0] if where else "."))
    return rows


def evaluate(workdir: Path, name: str = SETS[0]) -> list[Answer]:
    from nlsh.kernel.roads import recall as recall_road
    from nlsh.store.history import HistoryStore

    data = json.loads((DATA / "recall_seed.json").read_text(encoding="utf-8"))
    now = datetime.strptime(data["now"], "%Y-%m-%d %H:%M")
    root = workdir / "home"
    answers = []
    saved_clock = recall_road.now
    recall_road.now = lambda: now  # the seed's "now", so relative times mean the same on every run
    seeded = workdir / "seeded.db"
    try:
        with HistoryStore.open(seeded) as store:
            ids = seed(store, root, data, now)
        for number, (question, expected, where) in enumerate(questions(name)):
            (root / where).mkdir(parents=True, exist_ok=True)
            copy = workdir / f"question-{number}.db"  # each question sees the seed alone, not the others
            shutil.copyfile(seeded, copy)
            with HistoryStore.open(copy) as store:
                rows = ask(question, store, (root / where).resolve())
            answers.append(Answer(question, expected, [ids.get(r["request"], "?") for r in rows or []], rows is not None))
    finally:
        recall_road.now = saved_clock
    return answers


def scores(answers: list[Answer]) -> tuple[float, float, int]:
    returned = sum(len(a.returned) for a in answers)
    expected = sum(len(a.expected) for a in answers)
    hits = sum(a.hits for a in answers)
    exact = sum(set(a.returned) == a.expected and a.routed for a in answers)
    return (hits / returned if returned else 1.0), (hits / expected if expected else 1.0), exact


def main() -> None:
    for name in SETS:
        with tempfile.TemporaryDirectory() as workdir:
            answers = evaluate(Path(workdir), name)
        print(f"== {name}")
        for a in answers:
            mark = "ok  " if set(a.returned) == a.expected and a.routed else "MISS" if a.routed else "NOT ROUTED"
            print(f"{mark} {a.question:<52} expected {','.join(sorted(a.expected)) or '-':<24} got {','.join(a.returned) or '-'}")
        precision, recall, exact = scores(answers)
        print(f"{len(answers)} questions: precision {precision:.3f}, recall {recall:.3f}, {exact} answered exactly\n")


if __name__ == "__main__":
    main()

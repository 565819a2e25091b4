"""Evaluate tasks: two reference runs, the two self-check candidates and the chosen candidate,
each in its own fresh copy of the task's fixture, all made at one common 'now' so that files
whose mtime is 'now' look the same to every run of a task."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import candidates
from .copies import CopyRunner
from .scoring import Outcome, passes
from .tasks import Task

SELF_CHECKS = ("bash2", "empty")


@dataclass
class TaskResult:
    task: Task
    references: list[Outcome]
    runs: dict[str, Outcome]  # candidate name -> outcome (self-checks and the chosen candidate)

    def passed(self, name: str, lenient: bool = False) -> bool:
        return passes(self.runs[name], self.references, lenient)

    def references_agree(self) -> bool:
        """Do the two hand-checked references behave the same here (strictly)? Tells
        nondeterministic or host-specific tasks apart."""
        return passes(self.references[1], self.references[:1])


def evaluate_task(runner: CopyRunner, task: Task, manifest: dict, candidate_name: str,
                  candidate) -> TaskResult:
    now = time.time()
    references = [runner.run_command(manifest, task.bash, now),
                  runner.run_command(manifest, task.bash2, now)]
    runs = {name: candidates.make_candidate(name)(runner, task, manifest, now)
            for name in SELF_CHECKS}
    if candidate_name not in runs:
        runs[candidate_name] = candidate(runner, task, manifest, now)
    return TaskResult(task, references, runs)


def evaluate_all(runner: CopyRunner, tasks: list[Task], manifests: dict[int, dict],
                 candidate_name: str, candidate, jobs: int = 1, progress=sys.stderr) -> list[TaskResult]:
    done = 0
    lock = threading.Lock()

    def one(task: Task) -> TaskResult:
        nonlocal done
        result = evaluate_task(runner, task, manifests[task.fs], candidate_name, candidate)
        with lock:
            done += 1
        if progress is not None:
            mark = "pass" if result.passed(candidate_name) else "fail"
            note = result.runs[candidate_name].note
            print(f"[{done}/{len(tasks)}] fs{task.fs} #{task.index} {candidate_name}: {mark}"
                  f"{' (' + note + ')' if note else ''}", file=progress, flush=True)
        return result

    if jobs <= 1:
        return [one(task) for task in tasks]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, tasks))

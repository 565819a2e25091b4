"""Summaries of a run: strict and lenient scores per group (all, safe subset, file system,
difficulty) for the self-checks and the candidate, counts of invalid/refused plans, time per task."""

from __future__ import annotations

import statistics
from collections import Counter

from .runner import SELF_CHECKS, TaskResult
from .snapshot import describe


def groups(results: list[TaskResult]) -> dict[str, list[TaskResult]]:
    named = {"all": results, "safe": [r for r in results if r.task.safe]}
    for fs in sorted({r.task.fs for r in results}):
        named[f"fs{fs}"] = [r for r in results if r.task.fs == fs]
    for level in sorted({r.task.difficulty for r in results}):
        named[f"difficulty{level}"] = [r for r in results if r.task.difficulty == level]
    return named


def score(results: list[TaskResult], name: str) -> dict:
    n = len(results)
    strict = sum(r.passed(name) for r in results)
    lenient = sum(r.passed(name, lenient=True) for r in results)
    return {"n": n, "strict": strict, "lenient": lenient,
            "strict_rate": round(strict / n, 3) if n else None,
            "lenient_rate": round(lenient / n, 3) if n else None}


def summarise(results: list[TaskResult], candidate: str) -> dict:
    names = list(dict.fromkeys([*SELF_CHECKS, candidate]))
    table = {group: {"n": len(members),
                     "references_agree": sum(r.references_agree() for r in members),
                     **{name: score(members, name) for name in names}}
             for group, members in groups(results).items()}
    outcomes = [r.runs[candidate] for r in results]
    seconds = [o.seconds for o in outcomes]
    return {
        "candidate": candidate,
        "groups": table,
        "notes": dict(Counter(o.note for o in outcomes if o.note)),
        "seconds_per_task": {
            "median": round(statistics.median(seconds), 3) if seconds else None,
            "mean": round(statistics.fmean(seconds), 3) if seconds else None,
            "max": round(max(seconds), 3) if seconds else None,
        },
    }


def _cell(entry: dict) -> str:
    if not entry["n"]:
        return "-"
    return f"{entry['strict_rate']:.2f}/{entry['lenient_rate']:.2f}"


def format_table(summary: dict) -> str:
    candidate = summary["candidate"]
    names = list(dict.fromkeys([*SELF_CHECKS, candidate]))
    header = ["group", "n", "refs agree"] + [f"{name} s/l" for name in names]
    rows = [header]
    for group, entry in summary["groups"].items():
        rows.append([group, str(entry["n"]), str(entry["references_agree"])]
                    + [_cell(entry[name]) for name in names])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                       for i, cell in enumerate(row)) for row in rows]
    notes = ", ".join(f"{k}: {v}" for k, v in sorted(summary["notes"].items())) or "none"
    times = summary["seconds_per_task"]
    lines.append(f"s/l = strict/lenient pass rate. {candidate}: invalid plans, refusals, "
                 f"timeouts: {notes}")
    lines.append(f"{candidate} seconds per task: median {times['median']}, mean {times['mean']}, "
                 f"max {times['max']}")
    return "\n".join(lines)


def self_check_warnings(summary: dict, bash2_floor: float = 0.9, empty_ceiling: float = 0.15) -> list[str]:
    """The scorer is trusted only when bash2 passes nearly every safe task and empty nearly none."""
    safe = summary["groups"]["safe"]
    if not safe["n"]:
        return []
    warnings = []
    if safe["bash2"]["strict_rate"] < bash2_floor:
        warnings.append(f"self-check: bash2 passes only {safe['bash2']['strict_rate']:.2f} "
                        f"of safe tasks (expected >= {bash2_floor})")
    if safe["empty"]["strict_rate"] > empty_ceiling:
        warnings.append(f"self-check: empty passes {safe['empty']['strict_rate']:.2f} "
                        f"of safe tasks (expected <= {empty_ceiling})")
    return warnings


def task_record(result: TaskResult, candidate: str) -> dict:
    task = result.task
    record = {"index": task.index, "fs": task.fs, "difficulty": task.difficulty, "safe": task.safe,
              "references_agree": result.references_agree(), "runs": {}}
    for name, outcome in result.runs.items():
        record["runs"][name] = {
            "strict": result.passed(name), "lenient": result.passed(name, lenient=True),
            "seconds": round(outcome.seconds, 3), "status": outcome.status, "note": outcome.note,
        }
    chosen = result.runs[candidate]
    record["runs"][candidate].update(
        command=chosen.command, output_head=chosen.output[:500], effect=describe(chosen.effect)[:50],
        **{k: v for k, v in chosen.extra.items() if k != "stderr"})
    return record

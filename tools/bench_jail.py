"""The jail's cost: a shell step with and without it, and a 1 GB pipe stage (grep -c) through the
shell tool with and without it, measured in the same run and interleaved so load on the machine
hits both alike. Called by tools/bench.py (section `jail`)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from nlsh.safety import jail
from nlsh.safety.jail import Clearance
from nlsh.tools.context import ToolContext
from nlsh.tools.shell import shell


def _step_seconds(clearance: Clearance | None, cwd: Path, command: str, stdin_path: Path | None = None) -> float:
    ctx = ToolContext(cwd=cwd, env=dict(os.environ), clearance=clearance)
    stdin = open(stdin_path, "rb") if stdin_path else None
    ctx.stdin = stdin
    started = time.perf_counter()
    try:
        result = shell.run(ctx, {"command": command})
    finally:
        if stdin:
            stdin.close()
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"{command!r} failed under {clearance}: {result.text}")
    return elapsed


def _interleaved(runs: int, measure: dict) -> dict:
    """Median seconds of each measurement, taking turns so that drift in load is shared."""
    times: dict = {name: [] for name in measure}
    for _ in range(runs):
        for name, fn in measure.items():
            times[name].append(fn())
    return {name: statistics.median(values) for name, values in times.items()}


def bench(quick: bool, row, make_log) -> list[dict]:
    backend = jail.describe()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        steps = _interleaved(10 if quick else 40, {
            clearance: (lambda c=clearance: _step_seconds(c, work, "true"))
            for clearance in (None, Clearance.READ, Clearance.WRITE)})
        log = Path(tmp) / "app.log"
        make_log(log, (64 if quick else 1024) << 20)
        size = log.stat().st_size >> 20
        stage = _interleaved(3 if quick else 5, {
            clearance: (lambda c=clearance: _step_seconds(c, work, "grep -c ERROR", log))
            for clearance in (None, Clearance.READ)})
    bare = steps[None]
    rows = [row("shell step `true`, no jail", bare * 1000, "ms")]
    for clearance in (Clearance.READ, Clearance.WRITE):
        rows.append(row(f"shell step `true`, {clearance.value} jail ({backend})", steps[clearance] * 1000, "ms",
                        "no jail", bare * 1000))
        rows.append(row(f"  cost of the {clearance.value} jail per step", (steps[clearance] - bare) * 1000, "ms"))
    rows.append(row(f"grep -c ERROR < {size} MiB through the shell tool, no jail", stage[None], "s"))
    rows.append(row(f"the same in the read jail ({backend})", stage[Clearance.READ], "s", "no jail", stage[None]))
    return rows

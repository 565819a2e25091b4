#!/usr/bin/env python3
"""Time to plan with the accuracy levers on and off: whole requests through a Session (context,
retrieval, grounding, the model, a trial run and its repair), median and p90.

    python tools/bench_levers.py [--quick] [--levers retrieval,verify ...]
    python tools/bench_levers.py --samples   what the select lever's four samples cost beside the greedy reply

  warm      one process, the model loaded and its prefix state in memory (the REPL)
  one-shot  `nlsh --print REQUEST` in a fresh process, the prefix state on disk (a script)
Each request is measured with every lever set back to back, so a change in machine load hits them
alike. Budget (issue 13): median <= 3 s warm, <= 5 s one-shot. The requests are our own."""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

from bench_model import REQUESTS, _model, _model_spec, _workdir  # noqa: E402


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def warm_session(model, levers: tuple[str, ...]):
    from rich.console import Console

    from nlsh.session import Options, Session, SessionIO
    from nlsh.tools.registry import load_registry

    io_ = SessionIO(out=io.StringIO(), err=Console(file=io.StringIO()))
    return Session(Options(print_only=True, levers=levers), io_, load_registry(), model=model, cwd=_workdir())


def one_shot(request: str, levers: tuple[str, ...], home: str) -> float:
    # No answer from an earlier run: two lever sets often build the same prompt.
    shutil.rmtree(Path(home) / "cache" / "answers", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NLSH_HOME": home, "NLSH_LEVERS": ",".join(levers) or "none"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nlsh", "--print", "--no-history", "--", request], env=env,
                   cwd=_workdir(), check=True, capture_output=True)
    return time.perf_counter() - started


def samples_cost(model, requests: list[str]) -> None:
    """Warm, prefix in memory: the greedy reply (reading the request included) against the four
    sampled alternatives decoded side by side (models/parallel_samples.py), per request."""
    from nlsh.kernel.context import Facts, build_prompt
    from nlsh.kernel.select import ALTERNATIVES

    greedy, sampled = [], []
    for request in requests:
        prompt = build_prompt(request, profile="shell", specs=[], facts=Facts(_workdir()))
        prefix = model._tokens(prompt, "")[0]
        model.engine.prime(prefix)
        model.engine.forget_after(len(prefix))  # the request itself is not yet read
        started = time.perf_counter()
        model.complete(prompt)
        greedy.append(time.perf_counter() - started)
        started = time.perf_counter()
        model.alternatives(prompt, ALTERNATIVES)
        sampled.append(time.perf_counter() - started)
    print(f"greedy reply p50 {statistics.median(greedy):.2f} s  p90 {p90(greedy):.2f} s   "
          f"{ALTERNATIVES} samples together p50 {statistics.median(sampled):.2f} s  p90 {p90(sampled):.2f} s")


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    sets = [tuple(argv[i + 1].split(",")) if argv[i + 1] != "none" else () for i, a in enumerate(argv) if a == "--levers"]
    sets = [(), *sets] if sets else [(), ("retrieval", "grounding", "verify")]
    requests = REQUESTS[:3] if quick else REQUESTS
    spec = _model_spec(None)
    home = tempfile.mkdtemp(prefix="nlsh-bench-levers-")
    os.environ["NLSH_HOME"] = home
    model = _model(spec, answer_cache=False)
    (model_dir := Path(home) / "cache" / "models").mkdir(parents=True, exist_ok=True)
    link = model_dir / Path(spec["path"]).name
    if not link.exists():
        link.symlink_to(spec["path"])
    model.complete(_prime())  # the prefix state in memory
    if "--samples" in argv:
        samples_cost(model, requests)
        return
    for levers in sets:  # and on disk, and the example bank built, before anything is timed
        one_shot("say hello", levers, home)
    warm = {levers: [] for levers in sets}
    cold = {levers: [] for levers in sets}
    for request in requests:
        for levers in sets:
            session = warm_session(model, levers)
            started = time.perf_counter()
            session.run(request)
            warm[levers].append(time.perf_counter() - started)
            cold[levers].append(one_shot(request, levers, home))
    for levers in sets:
        name = ",".join(levers) or "none"
        print(f"{name:32} warm p50 {statistics.median(warm[levers]):.2f} s  p90 {p90(warm[levers]):.2f} s   "
              f"one-shot p50 {statistics.median(cold[levers]):.2f} s  p90 {p90(cold[levers]):.2f} s")


def _prime():
    from nlsh.kernel.context import Facts, build_prompt
    from nlsh.tools.registry import load_registry

    return build_prompt("say hello", profile="shell", specs=load_registry().specs(), facts=Facts(_workdir()))


if __name__ == "__main__":
    main(sys.argv[1:])

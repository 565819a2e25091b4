#!/usr/bin/env python3
"""The selection lever measured without running nlsh 200 times: for each task, the greedy command
and sampled alternatives are written in this one process, through the product's own prompt builder,
model and sampler (the fixture's listing stands in for the current directory's), and the product's
own rule (kernel/select.py) chooses among them, each candidate tried in a fresh copy of the fixture.
The commands go to JSONL files that `tools/eval.py --candidate commands` scores:

    python tools/eval_select.py --out runs/select [--every 2] [--samples 4]
    python tools/eval.py --candidate commands --commands runs/select/select.jsonl --jobs 2

Files: greedy.jsonl, select.jsonl, sample-1.jsonl .. sample-N.jsonl (each sample position alone)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

from evalkit.candidates import make_candidate  # noqa: E402
from evalkit.copies import CopyRunner, remove_tree  # noqa: E402
from evalkit.sandbox import Sandbox, make_busybox_bin  # noqa: E402
from evalkit.tasks import load_manifest, load_tasks  # noqa: E402

from nlsh.kernel import context  # noqa: E402
from nlsh.kernel.plan import Plan, Step  # noqa: E402
from nlsh.kernel.select import Selector  # noqa: E402
from nlsh.kernel.verify import TRIAL_SECONDS, Trial  # noqa: E402
from nlsh.safety.shell_risk.assess import assess_command  # noqa: E402

DEFAULT_TASKS = REPO.parent / "shared" / "eval" / "alfa" / "tasks-dev.jsonl"
LISTING = "from pathlib import Path; from nlsh.kernel.context import cwd_listing; print(cwd_listing(Path('/')))"


def listings(runner: CopyRunner, manifests: dict[int, dict]) -> dict[int, str]:
    """What nlsh would list as the files of each fixture's working directory, read inside its sandbox."""
    found = {}
    for fs, manifest in manifests.items():
        result, _ = runner.run(manifest, [sys.executable, "-c", LISTING], time.time(), 60)
        found[fs] = result.stdout.strip()
    return found


def candidates(model, request: str, listing: str, samples: int) -> list[str]:
    """The greedy command as nlsh writes it, then the sampled alternatives."""
    context.cwd_listing = lambda cwd, *rest: listing  # the fixture's directory, not this one's
    prompt = context.build_prompt(request, profile="shell", specs=[], facts=context.Facts(Path("/")))
    steps = json.loads(model.complete(prompt))["steps"]
    return [steps[0]["args"]["command"]] + model.alternatives(prompt, samples)


def selected(runner: CopyRunner, manifest: dict, commands: list[str]) -> str:
    """The product's Selector, with each candidate tried in a fresh copy of the fixture instead of
    the read-only sandbox of the current directory."""
    def trials(distinct: list[str], _cwd: Path) -> list[Trial]:
        now = time.time()
        ran = [runner.run_command(manifest, command, now) for command in distinct]
        return [Trial(r.status if r.seconds < TRIAL_SECONDS else None, r.output, r.extra.get("stderr", ""))
                for r in ran]

    selector = Selector(Path("/"), lambda step: assess_command(step.args["command"], Path("/")),
                        piped=False, trials=trials)
    plan = selector(Plan(steps=[Step("shell", {"command": commands[0]})]), lambda count: commands[1:])
    return plan.steps[0].args["command"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="directory for the JSONL files")
    parser.add_argument("--tasks", type=Path, default=DEFAULT_TASKS)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--every", type=int, default=1, help="every K-th task")
    args = parser.parse_args(argv)
    from nlsh.models.local import load_local

    tasks = load_tasks(args.tasks)[:: args.every]
    fixtures = args.tasks.parent / "fixtures"
    manifests = {fs: load_manifest(fixtures, fs) for fs in sorted({t.fs for t in tasks})}
    workspace = Path(tempfile.mkdtemp(prefix="nlsh-select-"))
    args.out.mkdir(parents=True, exist_ok=True)
    names = ["greedy", "select"] + [f"sample-{k}" for k in range(1, args.samples + 1)]
    files = {name: (args.out / f"{name}.jsonl").open("w") for name in names}
    try:
        nlsh_view = make_candidate("print", workspace=workspace).dress(Sandbox(busybox_bin=make_busybox_bin(workspace / "bb")))
        shown = listings(CopyRunner(nlsh_view, workspace, 60), manifests)
        runner = CopyRunner(Sandbox(busybox_bin=make_busybox_bin(workspace / "bb2")), workspace, TRIAL_SECONDS)
        model = load_local("qwen2.5-coder-1.5b", answer_cache=False)
        for n, task in enumerate(tasks, 1):
            commands = candidates(model, task.request, shown[task.fs], args.samples)
            chosen = {"greedy": commands[0], "select": selected(runner, manifests[task.fs], commands)}
            chosen.update({f"sample-{k}": c for k, c in enumerate(commands[1:], 1)})
            for name, command in chosen.items():
                files[name].write(json.dumps({"index": task.index, "command": command}) + "\n")
            print(f"[{n}/{len(tasks)}] #{task.index} {chosen['select']}", file=sys.stderr, flush=True)
    finally:
        for handle in files.values():
            handle.close()
        remove_tree(workspace)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Accuracy harness: how often nlsh does what was asked, on NL2SH-ALFA-format tasks.

Every reference and candidate runs in its own fresh copy of the task's fixture, mounted at the
real absolute paths by bubblewrap, as uid 1000, without network, under a time limit. Scoring and
data: shared/eval/README.md. Self-checks (bash2 and an empty command as candidates) run and print
on every run. Example:  python tools/eval.py --candidate print --limit 30 --json out.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evalkit import report  # noqa: E402
from evalkit.candidates import make_candidate  # noqa: E402
from evalkit.copies import CopyRunner, remove_tree  # noqa: E402
from evalkit.packages import missing_packages  # noqa: E402
from evalkit.runner import evaluate_all  # noqa: E402
from evalkit.sandbox import Sandbox, SandboxUnavailable, bwrap_path, make_busybox_bin  # noqa: E402
from evalkit.seed import build_seed_db  # noqa: E402
from evalkit.tasks import load_manifest, load_tasks  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TASKS = REPO.parent / "shared" / "eval" / "alfa" / "tasks-dev.jsonl"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidate", default="print", choices=["print", "run", "bash2", "empty", "commands"])
    parser.add_argument("--commands", type=Path, metavar="FILE",
                        help='with --candidate commands: JSONL of {"index": N, "command": "..."} to score')
    parser.add_argument("--tasks", type=Path, default=DEFAULT_TASKS, help="JSONL task file")
    parser.add_argument("--fixtures", type=Path, help="manifest directory (default: fixtures/ beside --tasks)")
    parser.add_argument("--model", help="model name passed to nlsh --model")
    parser.add_argument("--limit", type=int, help="first N tasks (after --fs/--safe-only)")
    parser.add_argument("--every", type=int, metavar="K", help="every K-th task (a spread-out subset for quick comparisons)")
    parser.add_argument("--fs", type=int, action="append", help="only this file system (repeatable)")
    parser.add_argument("--safe-only", action="store_true", help="only sandbox_safe tasks")
    parser.add_argument("--jobs", type=int, default=1, help="tasks in parallel (default 1: the model uses both cores)")
    parser.add_argument("--json", type=Path, help="write results here")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per command run")
    parser.add_argument("--nlsh-timeout", type=float, default=300.0, help="seconds per nlsh run")
    parser.add_argument("--share-net-for-model", action="store_true",
                        help="give the sandboxed nlsh the network (remote models)")
    parser.add_argument("--sandbox-ro", action="append", default=[], metavar="PATH",
                        help="host path to bind read-only at the same path (e.g. model files)")
    parser.add_argument("--sandbox-env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment variable for the sandboxed runs")
    parser.add_argument("--seed-history", type=Path, metavar="FILE",
                        help="JSONL of past {request, command} pairs: each nlsh run starts with them as "
                             "accepted history, so similar ones are paged in as examples")
    parser.add_argument("--levers", metavar="LIST",
                        help="accuracy levers nlsh uses, comma-separated (retrieval, grounding, verify, select, options) or "
                             "'none'; default: nlsh's own default. Passed as NLSH_LEVERS")
    parser.add_argument("--quiet", action="store_true", help="no per-task progress")
    return parser.parse_args(argv)


def select_tasks(args: argparse.Namespace):
    tasks = load_tasks(args.tasks)
    if args.fs:
        tasks = [t for t in tasks if t.fs in args.fs]
    if args.safe_only:
        tasks = [t for t in tasks if t.safe]
    if args.every:
        tasks = tasks[:: args.every]
    if args.limit is not None:
        tasks = tasks[: args.limit]
    return tasks


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.umask(0o022)
    try:
        bwrap_path()
    except SandboxUnavailable as error:
        print(f"eval: {error}", file=sys.stderr)
        return 1
    tasks = select_tasks(args)
    fixtures = args.fixtures or args.tasks.parent / "fixtures"
    manifests = {fs: load_manifest(fixtures, fs) for fs in sorted({t.fs for t in tasks})}
    missing = missing_packages(list(manifests.values()))
    if missing:
        print(f"eval: packages the references use but this host lacks: {' '.join(missing)}", file=sys.stderr)
    env = dict(item.split("=", 1) for item in args.sandbox_env)
    if args.levers is not None:
        env["NLSH_LEVERS"] = args.levers
    workspace = Path(tempfile.mkdtemp(prefix="nlsh-eval-"))
    try:
        sandbox = Sandbox(ro_paths=tuple(args.sandbox_ro), extra_env=env,
                          busybox_bin=make_busybox_bin(workspace / "busybox-bin"))
        seed_db = build_seed_db(args.seed_history, workspace / "seed") if args.seed_history else None
        candidate = make_candidate(args.candidate, args.model, args.share_net_for_model,
                                   args.nlsh_timeout, workspace, seed_db, args.commands)
        if hasattr(candidate, "dress"):  # nlsh candidates: every run sees nlsh's mounts
            sandbox = candidate.dress(sandbox)
        runner = CopyRunner(sandbox, workspace, args.timeout)
        started = datetime.datetime.now(datetime.timezone.utc)
        results = evaluate_all(runner, tasks, manifests, args.candidate, candidate, args.jobs,
                               progress=None if args.quiet else sys.stderr)
    finally:
        remove_tree(workspace)
    summary = report.summarise(results, args.candidate)
    print(f"tasks: {args.tasks} ({len(tasks)} selected), candidate: {args.candidate}"
          f"{', model: ' + args.model if args.model else ''}"
          f"{', seeded history: ' + str(args.seed_history) if args.seed_history else ''}"
          f"{', levers: ' + args.levers if args.levers is not None else ''}")
    print(report.format_table(summary))
    for warning in report.self_check_warnings(summary):
        print(f"WARNING {warning}")
    if args.json:
        document = {
            "date": started.isoformat(timespec="seconds"),
            "command": shlex.join([Path(sys.executable).name, *sys.argv]),
            "tasks_file": str(args.tasks), "model": args.model, "candidate": args.candidate,
            "seed_history": str(args.seed_history) if args.seed_history else None,
            "levers": args.levers,
            "missing_packages": missing, "summary": summary,
            "tasks": [report.task_record(r, args.candidate) for r in results],
        }
        args.json.write_text(json.dumps(document, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

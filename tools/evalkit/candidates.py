"""Where a candidate's answer comes from: the second reference, an empty command (self-checks),
`nlsh --print` (a translation, run like a reference), `nlsh --yes` (nlsh itself does the work) or a
file of commands written elsewhere."""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from .copies import CopyRunner, remove_tree
from .sandbox import Sandbox
from .model_files import REPO_ROOT
from .scoring import Outcome
from .seed import fresh_data_dir
from .tasks import Task

# nlsh exit codes that mean "no answer to score" (nlsh/exitcodes.py).
EXIT_NOTES = {3: "refused", 4: "no_model", 5: "invalid_plan"}
NLSH_HOME_INSIDE = "/tmp/nlsh-home"


def bash2(runner: CopyRunner, task: Task, manifest: dict, now: float) -> Outcome:
    return runner.run_command(manifest, task.bash2, now)


def empty(runner: CopyRunner, task: Task, manifest: dict, now: float) -> Outcome:
    return runner.run_command(manifest, "", now)


@dataclass
class Listed:
    """Commands written elsewhere (another tool, a raw model, an experiment), scored like `--print`
    output: a JSONL file of {"index": N, "command": "..."}; a task it lacks scores as not answered."""

    commands: dict[int, str]

    @classmethod
    def from_file(cls, path: Path) -> "Listed":
        rows = (json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip())
        return cls({int(row["index"]): row["command"] for row in rows})

    def __call__(self, runner: CopyRunner, task: Task, manifest: dict, now: float) -> Outcome:
        command = self.commands.get(task.index)
        if command is None:
            return Outcome(output="", effect={}, status=None, note="not_listed")
        return runner.run_command(manifest, command, now)


def nlsh_ro_paths() -> tuple[str, ...]:
    """What the sandboxed nlsh needs to import itself: the venv, the Python it was made from,
    and the repository."""
    paths = {sys.prefix, sys.base_prefix, str(REPO_ROOT)}
    return tuple(sorted(p for p in paths if p and p != "/"))


@dataclass
class Nlsh:
    """Runs nlsh inside the task's sandbox with cwd = the fixture's workdir, so the context it
    builds is the fixture's. mode 'print': its stdout is the command, then run in a fresh copy;
    mode 'run': it executes the request itself and its stdout and effect are scored."""

    mode: str
    model: str | None = None
    timeout: float = 300.0
    share_net: bool = False  # for remote models
    cache_dir: str | None = None  # writable, bound as the sandboxed nlsh's cache (model_files.py)
    model_dirs: tuple[str, ...] = ()  # host directories holding the model file, bound read-only
    history_seed: str | None = None  # seeded history.db (seed.py): each run gets its own copy

    def argv(self, task: Task) -> list[str]:
        flag = "--print" if self.mode == "print" else "--yes"
        model = ["--model", self.model] if self.model else []
        # With a seed, history is on so examples are paged in; --fresh keeps the plan lock out
        # (the seed's context key never matches anyway). Without, nothing is read or kept.
        history = ["--fresh"] if self.history_seed else ["--no-history"]
        return [sys.executable, "-m", "nlsh", flag, *history, *model, "--", task.request]

    def _sandbox_with_history(self, runner: CopyRunner, manifest: dict, data_dir: Path) -> Sandbox:
        sandbox = runner.sandbox_for(manifest)
        bind = (str(data_dir), f"{NLSH_HOME_INSIDE}/data", True)
        return dataclasses.replace(sandbox, binds=sandbox.binds + (bind,))

    def dress(self, base: Sandbox) -> Sandbox:
        """The sandbox with what nlsh needs (its mounts, NLSH_HOME, the model). Every run of the
        evaluation, references included, uses the dressed sandbox: the mount points show in
        `ls /` and the variables in `env`, and both sides must see the same machine."""
        env = dict(base.extra_env, PYTHONPATH=str(REPO_ROOT), NLSH_HOME=NLSH_HOME_INSIDE,
                   PYTHONDONTWRITEBYTECODE="1")
        binds = base.binds
        if self.cache_dir:  # writable, but its models/ read-only (model_files.shared_cache)
            binds += ((self.cache_dir, f"{NLSH_HOME_INSIDE}/cache", True),
                      (f"{self.cache_dir}/models", f"{NLSH_HOME_INSIDE}/cache/models", False))
        return dataclasses.replace(
            base,
            ro_paths=tuple(sorted(set(base.ro_paths) | set(nlsh_ro_paths()) | set(self.model_dirs))),
            binds=binds,
            share_net=base.share_net or self.share_net,
            extra_env=env,
        )

    def __call__(self, runner: CopyRunner, task: Task, manifest: dict, now: float) -> Outcome:
        if self.history_seed:
            data_dir = fresh_data_dir(Path(self.history_seed), runner.workspace)
            try:
                result, effect = runner.run(manifest, self.argv(task), now, self.timeout,
                                            self._sandbox_with_history(runner, manifest, data_dir))
            finally:
                remove_tree(data_dir)
        else:
            result, effect = runner.run(manifest, self.argv(task), now, self.timeout)
        extra = {"nlsh_status": result.status, "nlsh_seconds": round(result.seconds, 3),
                 "nlsh_stderr": result.stderr[-2000:]}
        note = "timeout" if result.timed_out else EXIT_NOTES.get(result.status, "")
        if "Traceback (most recent call last)" in result.stderr:
            note = "crash"  # a bug in nlsh, not a wrong answer: count it apart
        if self.mode == "run" or note:
            return Outcome(output=result.stdout, effect=effect, status=result.status,
                           seconds=result.seconds, command=None, note=note, extra=extra)
        if result.status != 0:
            return Outcome(output="", effect={}, status=result.status, seconds=result.seconds,
                           note=f"nlsh_exit_{result.status}", extra=extra)
        if effect:
            extra["print_mode_effect"] = sorted(effect)  # --print must not touch the tree
        command = result.stdout.strip("\n")
        ran = runner.run_command(manifest, command, now)
        ran.seconds += result.seconds
        ran.extra.update(extra)
        return ran


def make_candidate(name: str, model: str | None = None, share_net: bool = False,
                   nlsh_timeout: float = 300.0, workspace: Path | None = None,
                   history_seed: Path | None = None, commands: Path | None = None):
    if name == "commands":
        if commands is None:
            raise ValueError("the 'commands' candidate needs --commands FILE")
        return Listed.from_file(commands)
    if name == "bash2":
        return bash2
    if name == "empty":
        return empty
    if name in ("print", "run"):
        if model and model.startswith("scripted:"):  # nlsh runs with cwd / inside: make it absolute
            model = "scripted:" + str(Path(model.removeprefix("scripted:")).expanduser().resolve())
        from .model_files import local_model_file, shared_cache

        cache, model_dirs = shared_cache(workspace, local_model_file(model)) if workspace else (None, [])
        return Nlsh(name, model, nlsh_timeout, share_net, str(cache) if cache else None,
                    tuple(model_dirs), str(history_seed) if history_seed else None)
    raise ValueError(f"unknown candidate {name!r} (bash2, empty, print, run, commands)")

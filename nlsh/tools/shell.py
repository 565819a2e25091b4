"""The shell tool: runs one bash command line in the session's working directory.

Its risk is computed by parsing the exact command line (nlsh.safety.shell_risk), never declared by the
model. `cd` and `export` persist: the command runs with an EXIT trap that reports the final directory
and environment back to the session."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlsh.safety.jail.clearance import Clearance
from nlsh.safety.risk import Assessment, Risk
from nlsh.tools.context import Result, ToolContext, ToolError
from nlsh.tools.registry import tool
from nlsh.tools.stderr_tee import ErrorTee

if TYPE_CHECKING:
    from nlsh.safety.jail import Confined

# Variables that would let the environment run code behind the command's back.
_UNSAFE_ENV = ("BASH_ENV", "ENV", "LD_PRELOAD", "LD_AUDIT", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS")



def _trailer(state_path: str) -> str:
    """Reports $PWD and the environment (NUL separated) to the state file when the command line
    ends, however it ends (`exit N` too). The path is written into the trap itself, so the command
    sees no extra variable."""
    report = f'{{ printf "%s\\0" "$PWD"; env -0; }} > {shlex.quote(state_path)} 2>/dev/null'
    return f"trap {shlex.quote(report)} EXIT\n"


def clean_env(env: dict[str, str]) -> dict[str, str]:
    cleaned = {k: v for k, v in env.items() if k not in _UNSAFE_ENV and not k.startswith("BASH_FUNC_")}
    cleaned["PATH"] = _with_nlsh_on_path(cleaned.get("PATH") or os.defpath)
    return cleaned


def _with_nlsh_on_path(path: str) -> str:
    """Commands may call `nlsh history ...` (how a shell-profile model recalls the past): make sure
    this nlsh is found even when it was started by its full path from a venv."""
    if shutil.which("nlsh", path=path):
        return path
    venv_bin = os.path.dirname(sys.executable)
    if os.path.exists(os.path.join(venv_bin, "nlsh")):
        return venv_bin + os.pathsep + path
    return path


def _assess(args: dict[str, Any], ctx: ToolContext) -> Assessment:
    from nlsh.safety.shell_risk import assess_command

    return assess_command(args["command"], ctx.cwd)


def _read_state(path: Path, ctx: ToolContext, scratch: Path) -> None:
    try:
        raw = path.read_bytes()
    except OSError:
        return
    if not raw:
        return
    cwd, _, env_blob = raw.partition(b"\0")
    new_cwd = Path(os.fsdecode(cwd))
    if new_cwd.is_dir():
        ctx.cwd = new_cwd
    env = {}
    for item in env_blob.split(b"\0"):
        key, sep, value = item.partition(b"=")
        if sep and key:
            env[os.fsdecode(key)] = os.fsdecode(value)
    for noise in ("PWD", "OLDPWD", "SHLVL", "_"):
        env.pop(noise, None)
    if env.get("TMPDIR") == str(scratch):  # the jail's, gone after the step: keep the session's own
        env.pop("TMPDIR")
        if ctx.env and "TMPDIR" in ctx.env:
            env["TMPDIR"] = ctx.env["TMPDIR"]
    if env:
        ctx.env = clean_env(_kept_safe(env, ctx))


def _kept_safe(new: dict[str, str], ctx: ToolContext) -> dict[str, str]:
    """A confined step could write its state file itself: variables that change what later steps
    run (PATH, PAGER, GIT_*, ...) keep their old values unless the person said yes to this step.
    (An honest `export PATH=...` is unknown to the classifier, so it never ran confined.)"""
    if ctx.clearance in (None, Clearance.FULL):
        return new
    from nlsh.safety.shell_risk.assignments import risky_variable

    old = ctx.env or {}
    kept = {k: v for k, v in new.items() if not (risky_variable(k) and old.get(k) != v)}
    kept.update({k: v for k, v in old.items() if risky_variable(k)})
    return kept


def bash_argv(command: str, state_path: str) -> list[str]:
    return ["bash", "--noprofile", "--norc", "-c", _trailer(state_path) + command]


@tool(Risk.UNKNOWN, shell=lambda args: args["command"], assess=_assess, jailed=True)
def shell(ctx: ToolContext, command: str) -> Result:
    """Run a bash command line in the current directory. Use it for anything the other tools do not
    cover, and for data arriving on stdin (the command reads it from its stdin)."""
    if not command.strip():
        raise ToolError("empty command line")
    from nlsh.safety import jail

    try:
        with jail.confine(ctx.clearance, ctx.cwd) as confined:
            if confined.strict:
                _strict_check(command, ctx)
            return _run(ctx, command, confined)
    except jail.JailError as exc:
        raise ToolError(str(exc)) from None


def _strict_check(command: str, ctx: ToolContext) -> None:
    from nlsh.safety.jail.strict import refusal

    problem = refusal(command, ctx.clearance)
    if problem:
        raise ToolError(problem)


def _run(ctx: ToolContext, command: str, confined: "Confined") -> Result:
    state = confined.scratch / "nlsh-state"  # the jail lets the step write there, and removes it after
    argv = bash_argv(command, str(state))
    env = clean_env(ctx.env or dict(os.environ))
    if ctx.sandbox:  # --sandbox: bubblewrap's own namespaces instead (Landlock would forbid its mounts)
        from nlsh.safety import sandbox

        argv = sandbox.wrap(argv, ctx.cwd, writable=ctx.clearance != Clearance.READ)
    else:
        argv, env = confined.argv(argv), confined.environ(env)
    streaming = ctx.stdout_fd is not None
    try:
        with ErrorTee() as errors:
            returncode, stdout = _spawn(argv, ctx, env, errors, None if ctx.sandbox else confined.preexec)
    except FileNotFoundError as exc:
        raise ToolError(f"cannot run bash: {exc}") from None
    except subprocess.SubprocessError as exc:  # the jail could not be entered: nothing ran
        raise ToolError(f"the step's jail could not be set up: {exc}") from None
    finally:
        if not ctx.sandbox:  # a sandboxed command cannot change the session's state
            _read_state(state, ctx, confined.scratch)
    if streaming:
        return Result(exit_code=returncode, streamed=True, stderr=errors.tail)
    text = stdout.decode("utf-8", errors="replace")
    return Result(text=text, exit_code=returncode, stderr=errors.tail)


def _spawn(argv: list[str], ctx: ToolContext, env: dict[str, str], errors: ErrorTee,
           preexec: Any) -> tuple[int, bytes]:
    """Like subprocess.run: on Ctrl-C or any error the command is killed before this returns."""
    with subprocess.Popen(
        argv,
        cwd=ctx.cwd,
        env=env,
        stdin=ctx.stdin if ctx.stdin is not None else subprocess.DEVNULL,
        stdout=ctx.stdout_fd if ctx.stdout_fd is not None else subprocess.PIPE,
        stderr=errors.fd,
        preexec_fn=preexec,
    ) as proc:
        errors.started()
        try:
            stdout, _ = proc.communicate()
        except BaseException:
            proc.kill()
            raise
    return proc.returncode, stdout or b""


TOOLS = [shell]

"""Mode wiring: from parsed command-line options to a Session with the right IO.

- a terminal and no request: the REPL
- a request: one-shot; with data piped in (a pipe or a file on stdin), a pipeline stage
Results go to stdout, everything else to stderr; questions go to /dev/tty only."""

from __future__ import annotations

import os
import re
import shlex
import stat
import sys
from typing import Any

from nlsh.exitcodes import ExitCode


def stdin_has_data(fd: int = 0) -> bool:
    """A pipe, a FIFO, a socket or a regular file on stdin carries data; a terminal, /dev/null or a
    closed stdin does not."""
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


def terminal_stdin() -> int | None:
    """fd 0 when it is the person's terminal, which steps then read (pagers, editors, prompts)."""
    return 0 if os.isatty(0) else None


_PLAIN_WORD = re.compile(r"[\w@%+=:,./~^-]+")


def request_text(words: list[str]) -> str:
    """The request as the person typed it. One argument is the request itself (`nlsh "show the
    logs"`); several are re-joined with the quoting the shell removed, so `nlsh rm "my file.txt"`
    stays one file and `nlsh find . -name "*.py"` keeps its pattern."""
    if len(words) == 1:
        return words[0].strip()
    return " ".join(w if _PLAIN_WORD.fullmatch(w) else shlex.quote(w) for w in words).strip()


def error_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def open_store(enabled: bool, err: Any) -> Any:
    if not enabled:
        return None
    from nlsh.paths import history_db
    from nlsh.store.history import HistoryStore, StoreError

    try:
        return HistoryStore.open(history_db())
    except StoreError as exc:
        err.print(f"nlsh: warning: history is off for this run: {exc}", markup=False)
        return None


def run_cli(*, words: list[str], yes: bool, allow: list[str], dry_run: bool, print_only: bool, as_json: bool,
            model: str | None, api_base: str | None, no_history: bool, fresh: bool, sandbox: bool,
            fast: bool = False) -> ExitCode:
    from nlsh.config import ConfigError, load_config
    from nlsh.safety.policy import Grant
    from nlsh.session import Options

    err = error_console()
    overrides = {k: v for k, v in {"model": model, "api_base": api_base}.items() if v}
    if fast:
        overrides["levers"] = []
    try:
        config = load_config(overrides=overrides)
        grant = Grant.from_options(yes, allow, list(config.allow))
    except (ConfigError, ValueError) as exc:
        err.print(f"nlsh: {exc}", markup=False)
        return ExitCode.USAGE
    if sandbox or config.sandbox:
        from nlsh.safety import sandbox as bwrap

        if not bwrap.available():
            err.print(f"nlsh: {bwrap.SandboxUnavailable()}", markup=False)
            return ExitCode.USAGE
    options = Options(
        model=config.model, api_base=config.api_base, timeout=config.timeout,
        model_options=dict(config.models.get(config.model or "", {})), repack=config.repack, grant=grant, dry_run=dry_run,
        print_only=print_only, as_json=as_json, fresh=fresh or no_history, sandbox=sandbox or config.sandbox,
        levers=tuple(config.levers),
    )
    request = request_text(words)
    store = open_store(config.history and not no_history, err)
    if not request:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from nlsh.ui.repl import run_repl

            options.mode = "repl"
            return run_repl(options, err, store)
        err.print("nlsh: no request given. Usage: nlsh \"what you want done\" (nlsh --help)")
        return ExitCode.USAGE
    return run_once(request, options, err, store)


def run_once(request: str, options: Any, err: Any, store: Any) -> ExitCode:
    from nlsh.kernel.stdin import PipedInput
    from nlsh.session import Session, SessionIO
    from nlsh.tools.registry import load_registry
    from nlsh.ui.terminal import Terminal

    piped = None
    if stdin_has_data():  # even for --print: the plan must fit the data
        piped = PipedInput(0)
        options.mode = "pipe"
    io = SessionIO(out=sys.stdout, err=err, out_is_terminal=sys.stdout.isatty(), asker=Terminal.open(),
                   piped=piped, out_fd=sys.stdout.fileno(), terminal=None if piped else terminal_stdin())
    session = Session(options, io, load_registry(), store=store)
    code = session.run(request)
    from nlsh.shell_state import report_to_shell

    report_to_shell(session)  # started by the `nlsh` shell function: hand it the cwd, exports, history
    return code

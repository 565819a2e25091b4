"""The interactive shell. One Session for the whole REPL, so `cd` and exported variables persist and
the model (and its KV cache) stays loaded. Ctrl-C cancels the current request or clears the line;
Ctrl-D exits. Each line goes through the dispatcher: a command line runs as typed (through the same
risk check), `!` forces that, `?` forces English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlsh.exitcodes import ExitCode

BANNER = "nlsh: say what you want done, or type a command line (! forces a command, ? English); Ctrl-D exits."


def prompt_text(cwd: Path) -> str:
    home = Path.home()
    try:
        shown = "~/" + str(cwd.relative_to(home)) if cwd != home else "~"
    except ValueError:
        shown = str(cwd)
    return f"{shown} nlsh> "


def make_prompt_session(store: Any, input: Any = None, output: Any = None) -> Any:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    history: Any = InMemoryHistory()
    if store is not None:
        from nlsh.store.prompt_history import StoreHistory

        history = StoreHistory(store)
    return PromptSession(history=history, input=input, output=output, enable_history_search=True)


def repl_loop(session: Any, prompt_session: Any, err: Any) -> ExitCode:
    """Read requests until EOF. A failing request never ends the loop."""
    last = ExitCode.OK
    err.print(BANNER)
    while True:
        try:
            text = prompt_session.prompt(prompt_text(session.ctx.cwd))
        except KeyboardInterrupt:
            continue  # Ctrl-C at the prompt clears the line
        except EOFError:
            return last
        text = text.strip()
        if not text:
            continue
        try:
            last = session.run(text)  # the dispatcher picks the road (`!cmd` forces the shell)
        except Exception as exc:  # the REPL survives any single failing request
            err.print(f"nlsh: internal error: {type(exc).__name__}: {exc}", markup=False)
            last = ExitCode.STEP_FAILED


def run_repl(options: Any, err: Any, store: Any) -> ExitCode:
    import sys

    from nlsh.session import Session, SessionIO
    from nlsh.tools.registry import load_registry
    from nlsh.ui.terminal import Terminal

    io = SessionIO(out=sys.stdout, err=err, out_is_terminal=True, asker=Terminal.open(), out_fd=sys.stdout.fileno())
    session = Session(options, io, load_registry(), store=store)
    return repl_loop(session, make_prompt_session(store), err)

"""The interactive shell. One Session for the whole REPL, so `cd` and exported variables persist and
the model (and its KV cache) stays loaded. Each line goes through the dispatcher: a command line
runs as typed (through the same risk check), `!` forces that, `?` forces English. Every plan the
model makes is reviewed before it runs (nlsh.ui.review). Ctrl-C cancels the current request or clears
the line; Ctrl-D exits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlsh.exitcodes import ExitCode
from nlsh.ui.toolbar import shown_dir, toolbar_line

BANNER = ("nlsh: say what you want done, or type a command line (! forces a command, ? English).\n"
          "Each plan waits for Enter (run), e (edit), x (explain) or n; Alt-Enter adds a line; Ctrl-D exits.")


def prompt_text(cwd: Path) -> str:
    return f"{shown_dir(cwd)} nlsh> "


def make_prompt_session(store: Any, input: Any = None, output: Any = None, **extra: Any) -> Any:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
    from prompt_toolkit.history import InMemoryHistory

    from nlsh.ui.editing import is_command_line, repl_lexer, session_options

    history: Any = InMemoryHistory()
    if store is not None:
        from nlsh.store.prompt_history import StoreHistory

        history = StoreHistory(store)
    session = PromptSession(history=history, enable_history_search=True, lexer=repl_lexer(),
                            auto_suggest=AutoSuggestFromHistory(), complete_while_typing=False,
                            **session_options(input, output, is_command=is_command_line), **extra)
    return session


class Repl:
    def __init__(self, session: Any, err: Any, *, store: Any = None, input: Any = None, output: Any = None,
                 watched_model: Any = None):
        from nlsh.ui.completion import ReplCompleter

        self.session = session
        self.err = err
        self.watched_model = watched_model
        self.last = ExitCode.OK
        completer = ReplCompleter(lambda: self.session.ctx.cwd, lambda: reversed(self.prompt.history.get_strings()))
        self.prompt = make_prompt_session(store, input, output, completer=completer, bottom_toolbar=self.toolbar)

    def toolbar(self) -> str:
        loaded = self.watched_model.ready if self.watched_model is not None else False
        width = self.prompt.output.get_size().columns
        return toolbar_line(self.session.model_name, loaded, self.session.ctx.cwd, int(self.last), width)

    def loop(self) -> ExitCode:
        """Read requests until EOF. A failing request never ends the loop."""
        self.err.print(BANNER, markup=False, highlight=False)
        while True:
            try:
                text = self.prompt.prompt(prompt_text(self.session.ctx.cwd))
            except KeyboardInterrupt:
                continue  # Ctrl-C at the prompt clears the line
            except EOFError:
                return self.last
            text = text.strip()
            if text:
                self.last = self.run(text)

    def run(self, text: str) -> ExitCode:
        try:
            return self.session.run(text)  # the dispatcher picks the road (`!cmd` forces the shell)
        except Exception as exc:  # the REPL survives any single failing request
            self.err.print(f"nlsh: internal error: {type(exc).__name__}: {exc}", markup=False)
            return ExitCode.STEP_FAILED


def run_repl(options: Any, err: Any, store: Any) -> ExitCode:
    import sys

    from nlsh.models.resolve import DEFAULT_MODEL, resolve_model
    from nlsh.session import Session, SessionIO
    from nlsh.tools.registry import load_registry
    from nlsh.ui.model_status import WatchedModel
    from nlsh.ui.review import PlanReviewer
    from nlsh.ui.terminal import Terminal

    o = options
    watched = WatchedModel(lambda: resolve_model(o.model, api_base=o.api_base, timeout=o.timeout, options=o.model_options),
                           o.model or DEFAULT_MODEL, err)
    io = SessionIO(out=sys.stdout, err=err, out_is_terminal=True, asker=Terminal.open(), out_fd=sys.stdout.fileno(),
                   reviewer=PlanReviewer(err))
    session = Session(options, io, load_registry(), store=store, model=watched)
    return Repl(session, err, store=store, watched_model=watched).loop()

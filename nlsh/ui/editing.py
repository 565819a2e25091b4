"""The line editor shared by the REPL prompt and the `e` (edit) key: emacs or vi keys, Enter that
continues an unfinished line (a trailing backslash or pipe, an open quote), Alt-Enter for a newline,
shell highlighting for command lines."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

CONTINUES = ("\\", "|", "&&", "||")


def needs_more(text: str, *, command: bool = True) -> bool:
    """Whether Enter should add a line instead of submitting. Any line may end in a backslash; a
    command line also continues after a pipe or && and while a quote is open (English has
    apostrophes, so only command lines count quotes)."""
    stripped = text.rstrip(" \t")
    if stripped.endswith("\\"):
        return True
    if not command:
        return False
    if stripped.endswith(CONTINUES):
        return True
    return open_quote(text) is not None


def open_quote(text: str) -> str | None:
    """The quote character left open at the end of TEXT, if any (backslash escapes as bash reads them)."""
    quote = None
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
    return quote


def editing_mode() -> str:
    """'vi' or 'emacs': NLSH_EDITING_MODE, else readline's own setting in ~/.inputrc."""
    chosen = os.environ.get("NLSH_EDITING_MODE", "").strip().lower()
    if chosen in ("vi", "emacs"):
        return chosen
    try:
        inputrc = Path(os.environ.get("INPUTRC") or Path.home() / ".inputrc").read_text(errors="replace")
    except OSError:
        return "emacs"
    for line in inputrc.splitlines():
        words = line.split()
        if words[:2] == ["set", "editing-mode"] and len(words) > 2:
            return "vi" if words[2] == "vi" else "emacs"
    return "emacs"


def is_command_line(text: str) -> bool:
    """Whether the dispatcher will run TEXT as a command line (`!` forces it, `?` forces English),
    judged on the line as it would be once finished: an open quote closed, a trailing pipe or &&
    taken off, so `echo 'unterminated` and `ls src |` continue on the next line."""
    stripped = text.strip()
    if not stripped or stripped.startswith("?"):
        return False
    if stripped.startswith("!"):
        return True
    from nlsh.kernel.command_index import CommandIndex
    from nlsh.kernel.line_shape import judge

    index = CommandIndex.here()
    if stripped.endswith(("|", "&&", "||")):  # a pipe left open is shell syntax whatever the words
        return index.runnable(stripped.split()[0])
    return judge(stripped + (open_quote(stripped) or ""), index, Path.cwd()).command


def key_bindings(is_command: Callable[[str], bool] = lambda text: True) -> Any:
    from prompt_toolkit.filters import has_completions
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter", filter=~has_completions)
    def _enter(event: Any) -> None:
        buffer = event.current_buffer
        if needs_more(buffer.text, command=is_command(buffer.text)) and buffer.document.is_cursor_at_the_end:
            buffer.insert_text("\n")
        else:
            buffer.validate_and_handle()

    @bindings.add("escape", "enter")
    def _newline(event: Any) -> None:
        event.current_buffer.insert_text("\n")

    return bindings


def shell_lexer() -> Any:
    from prompt_toolkit.lexers import PygmentsLexer
    from pygments.lexers.shell import BashLexer

    return PygmentsLexer(BashLexer)


def repl_lexer() -> Any:
    """Shell colours for `!` command lines only: English coloured as bash would be noise."""
    from prompt_toolkit.lexers import Lexer

    shell = shell_lexer()

    class CommandLineLexer(Lexer):
        def lex_document(self, document: Any) -> Any:
            if is_command_line(document.text):
                return shell.lex_document(document)
            return lambda line: [("", document.lines[line])]

    return CommandLineLexer()


def session_options(input: Any = None, output: Any = None, *,
                    is_command: Callable[[str], bool] = lambda text: True) -> dict[str, Any]:
    """What every prompt of nlsh has in common."""
    from prompt_toolkit.enums import EditingMode

    mode = EditingMode.VI if editing_mode() == "vi" else EditingMode.EMACS
    return {"input": input, "output": output, "multiline": True, "key_bindings": key_bindings(is_command),
            "editing_mode": mode, "prompt_continuation": lambda width, *_: "." * (width - 1) + " "}


def make_editor(input: Any = None, output: Any = None) -> Any:
    """The editor for `e`: a plain command line, highlighted as shell, with no history of its own."""
    from prompt_toolkit import PromptSession

    return PromptSession(lexer=shell_lexer(), **session_options(input, output))

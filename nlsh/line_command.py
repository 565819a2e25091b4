"""`nlsh to-command LINE`: what the shell key binding (nlsh init) puts on the command line.

English becomes the planned command line on stdout (steps one per line; the snippet joins them with
&&); nothing runs. A line that is already a command is left alone: nothing on stdout and a note on
stderr. Any refusal or error prints nothing on stdout, so the snippet leaves the line as it was and
shows stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from nlsh.exitcodes import ExitCode


def already_a_command(line: str, first_word_known: bool = False) -> bool:
    """Whether `line` is a command line rather than English, judged as the dispatcher judges a typed
    line (nlsh/kernel/line_shape.py). `first_word_known`: the person's shell knows the first word
    (an alias or a function that nlsh cannot see from its startup files)."""
    from nlsh.kernel.command_index import CommandIndex
    from nlsh.kernel.line_shape import judge

    words = line.split()
    if not words:
        return False
    index = CommandIndex.here()
    if first_word_known:
        index.aliases = {**index.aliases, words[0]: words[0]}
    return judge(line, index, Path.cwd()).command


def to_command(line: str, *, first_word_known: bool, model: str | None) -> ExitCode:
    if already_a_command(line, first_word_known):
        print("nlsh: this line is already a command; left as it is", file=sys.stderr)
        return ExitCode.OK
    from nlsh.modes import run_cli

    return run_cli(words=[line], yes=False, allow=[], dry_run=False, print_only=True, as_json=False,
                   model=model, api_base=None, no_history=False, fresh=False, sandbox=False)

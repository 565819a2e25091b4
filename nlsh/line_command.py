"""`nlsh to-command LINE`: what the shell key binding (nlsh init) puts on the command line.

English becomes the planned command line on stdout (steps one per line; the snippet joins them with
&&); nothing runs. A line that is already a command is left alone: nothing on stdout and a note on
stderr. Any refusal or error prints nothing on stdout, so the snippet leaves the line as it was and
shows stderr."""

from __future__ import annotations

import re
import shutil
import sys

from nlsh.exitcodes import ExitCode

# Shell syntax no English request carries: pipes, redirections, variables, quotes, options.
_SHELL_SYNTAX = re.compile(r"[|<>;&$`'\"=*]|(?:^|\s)--?[A-Za-z]")
# Words that make a line read as a sentence ("find the biggest files", "make a folder").
_ENGLISH = frozenset(
    "a an the all any every each my our your this that these those which than then in into of for from "
    "with without to by and or but are is was be it its me i whose what where when how please biggest "
    "largest smallest newest oldest files folders".split()
)
BUILTINS = frozenset("cd export unset source alias echo printf pwd type exit read set test [ eval exec".split())


def already_a_command(line: str, first_word_known: bool = False) -> bool:
    """Whether `line` is a command line rather than English. The first word must name a command
    (on PATH, a builtin, or known to the person's shell as an alias or function); then shell syntax
    decides, else the absence of English function words ("sort lines by length" is English)."""
    words = line.split()
    if not words:
        return False
    if not (first_word_known or words[0] in BUILTINS or shutil.which(words[0])):
        return False
    if _SHELL_SYNTAX.search(line):
        return True
    return not any(w.lower().strip(",.?!:") in _ENGLISH for w in words[1:])


def to_command(line: str, *, first_word_known: bool, model: str | None) -> ExitCode:
    if already_a_command(line, first_word_known):
        print("nlsh: this line is already a command; left as it is", file=sys.stderr)
        return ExitCode.OK
    from nlsh.modes import run_cli

    return run_cli(words=[line], yes=False, allow=[], dry_run=False, print_only=True, as_json=False,
                   model=model, api_base=None, no_history=False, fresh=False, sandbox=False)

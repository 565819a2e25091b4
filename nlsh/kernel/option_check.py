"""Options a command line gives a program that the program's own manual does not list. A small
model writes `tar --time=...` or `du --max-size` with confidence; the manual on this machine knows
better, and says so before anything runs (any risk: nothing is run to find out).

Only programs whose manual could be read as an option table are judged, and only options that can
be looked up by name: numbers (`head -5`, `kill -9`) and signal names (`kill -TERM`) are arguments
to those programs, and the options of a subcommand without a page of its own (`docker compose up
--scale`) belong to a manual nlsh has not read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlsh.kernel.bash_names import BASH_BUILTINS, BASH_KEYWORDS
from nlsh.kernel.explain import explain
from nlsh.kernel.manuals import Manual, manual
from nlsh.kernel.plan import Plan
from nlsh.safety.shell_risk.assess import checked_text

# A manual with fewer options than this was probably not read well enough to say what is missing.
MIN_OPTIONS = 5
_NUMBER = re.compile(r"-\d[\d.,]*")
_SIGNAL = re.compile(r"-(?:SIG)?[A-Z][A-Z0-9+-]*")  # -TERM, -SIGUSR1, -RTMIN+1
SIGNAL_SENDERS = frozenset(("kill", "pkill", "killall", "skill", "timeout"))
# Arguments that look like options: chmod's modes (-x, -rwx), find's -newerXY family.
LOOKALIKES = {"chmod": re.compile(r"-[rwxXst]+"), "find": re.compile(r"-newer[aBcmt]{2}")}
# A word with an expansion or quotes is not the option as bash will pass it (ls -$x, -"l").
NOT_LITERAL = re.compile(r"[$`'\"\\]")
FIND_EXEC = frozenset(("-exec", "-execdir", "-ok", "-okdir"))
EXEC_ENDS = frozenset((";", "\\;", "';'", '";"', "+"))


@dataclass(frozen=True)
class Unknown:
    program: str
    option: str
    source: str  # the manual that does not list it: "man tar(1)"


def unknown_options(command_line: str, cwd: Path | None = None) -> list[Unknown]:
    """Each option in COMMAND_LINE that its program's manual does not list, once (empty when the
    line cannot be checked: bash, the classifier or the trial will say what is wrong with it)."""
    return list(_unknown_options(command_line, str(cwd) if cwd is not None else None))


@lru_cache(maxsize=64)  # the planner's check and the note after it ask about the same line
def _unknown_options(command_line: str, cwd: str | None) -> tuple[Unknown, ...]:
    if checked_text(command_line)[1] is not None:  # not UTF-8, a NUL, too long
        return ()
    try:
        # Before any review nothing may run or be touched: manuals only, never a program's
        # --help, and no globbing or looking up of the arguments
        parts = explain(command_line, cwd=Path(cwd) if cwd else None, run_help=False, arguments=False)
    except Exception:  # a check that cannot read the line must not stop the plan
        return ()
    found: dict[Unknown, None] = {}
    program, source, docs, inside_exec = "", "", None, False
    for part in parts:
        if part.kind in ("program", "operator"):
            inside_exec = False  # a find -exec without its ; ends with its command
        if inside_exec:  # find -exec wc -l {} ; : wc's options, not find's
            inside_exec = part.text not in EXEC_ENDS
        elif part.kind == "program":
            program, source = Path(part.text).name, part.source
            docs = _judged(program)
        elif part.kind == "subcommand":
            docs = None  # its options are its own, and its page (if any) need not list them all
        elif part.kind == "option" and docs is not None:
            word = part.text.split()[0]
            inside_exec = program == "find" and word in FIND_EXEC
            if not part.meaning and not _an_argument(program, word) and not _mentioned(docs, word):
                found[Unknown(program, word.split("=", 1)[0], source)] = None  # --time, not its value
    return tuple(found)


def _judged(program: str) -> Manual | None:
    if program in BASH_BUILTINS or program in BASH_KEYWORDS:
        return None  # bash runs its own echo, test, kill: the program's man page is not theirs
    docs = manual(program, run_help=False)
    if docs is None or len(docs.options) < MIN_OPTIONS or docs.commands or docs.takes_command:
        return None
    return docs


def _an_argument(program: str, word: str) -> bool:
    """-5 for head, -TERM for kill, -x for chmod, -$FLAGS: not an option's name as written."""
    lookalike = LOOKALIKES.get(program)
    return bool(_NUMBER.fullmatch(word) or NOT_LITERAL.search(word)
                or (program in SIGNAL_SENDERS and _SIGNAL.fullmatch(word))
                or (lookalike is not None and lookalike.fullmatch(word)))


def _mentioned(docs: Manual, word: str) -> bool:
    """Named anywhere in the manual (a synopsis's "[--tcp|-t]"), whole or, for a cluster of short
    options (-tulpn, -w4), letter by letter up to a trailing number."""
    name = word.split("=", 1)[0]
    mentioned = docs.mentioned
    if name in mentioned or (not name.startswith("--") and "-" + name in mentioned):
        return True  # LLVM and Go programs take -long-option and --long-option alike
    letters = re.fullmatch(r"-([A-Za-z]+)\d*", name)
    return bool(letters) and all(f"-{letter}" in mentioned for letter in letters.group(1))


def problem(command_line: str, cwd: Path | None = None) -> str | None:
    """What is wrong, in words for the model, or None."""
    unknown = unknown_options(command_line, cwd)
    if not unknown:
        return None
    said = "; ".join(_said(u) for u in unknown[:3])
    return f"{said}. Write the corrected command line only, with options that exist."


def warnings(plan: Plan, cwd: Path | None = None) -> list[str]:
    """What the person should know about the plan as it stands (after the repair round)."""
    return [_said(u) for step in plan.steps if step.tool == "shell"
            for u in unknown_options(step.args["command"], cwd)]


def _said(unknown: Unknown) -> str:
    return f"{unknown.program} has no option {unknown.option} (its manual, {unknown.source}, does not list it)"


class OptionCheck:
    """The planner's check: a message for the model when a shell step gives a program an option its
    manual does not list, else None. Any risk: nothing is run."""

    def __init__(self, cwd: Path):
        self.cwd = cwd

    def __call__(self, plan: Plan) -> str | None:
        for step in plan.steps:
            if step.tool == "shell":
                found = problem(step.args["command"], self.cwd)
                if found:
                    return found
        return None

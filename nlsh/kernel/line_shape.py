"""Is this line a shell command line or an English request? Decided from the line's bash parse, what
can run here, and the words after the command's name.

`find . -size +1M` and `make test` are command lines; `find large files` and `make the logo smaller`
are requests. The rule: the first command must be something that can run here (a program on PATH,
a builtin, an alias, a path); then its arguments are weighed. Flags (twice), paths, quoted strings,
variables, globs, numbers, existing files, Makefile targets, the subcommand of git-like programs and
shell syntax (twice) speak for a command line; English function words ("the", "all"), prepositions
(twice) and request words ("files", "biggest") speak for English, as does a plain word that names no
file after a program that reads files ("sort backwards"). A line with no English word is a command
line (except a request verb followed only by plain words: "install htop"); a line with English words
is a command line only when the command evidence outweighs them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlsh.kernel.command_index import CommandIndex
from nlsh.kernel.wording import FUNCTION_WORDS, REQUEST_VERBS, REQUEST_WORDS
from nlsh.kernel.wrappers import inner_command
from nlsh.safety.shell_risk.parsing import has_syntax_error, node_text, parse, reading

# Parts of a parse that only shell syntax produces.
SHELL_SYNTAX = frozenset("""pipeline list redirected_statement file_redirect heredoc_redirect herestring_redirect
subshell command_substitution process_substitution for_statement c_style_for_statement while_statement
if_statement case_statement function_definition variable_assignment test_command compound_statement
negated_command declaration_command unset_command""".split())
# Keywords that only continue a compound command: alone they are a word ("do"), not a command.
CONTINUATIONS = frozenset("do done then else elif fi esac in } ]]".split())
# Argument node types that are shell syntax by themselves (quoting, expansion).
SHELL_WORDS = frozenset("string raw_string ansi_c_string simple_expansion expansion command_substitution "
                        "process_substitution arithmetic_expansion brace_expression".split())
# Programs whose plain arguments are files: a plain word that names nothing here ("sort backwards",
# "cat readme") is then more likely English than a file name.
READS_FILES = frozenset("""cat tac sort head tail less more wc uniq cut nl od xxd hexdump strings file stat du ls
diff cmp vim vi nano emacs code bat open xdg-open source chmod chown rm rmdir gzip gunzip bzip2 xz unzip
md5sum sha256sum shuf tr tee""".split())
PREPOSITIONS = frozenset("to into onto from with for by of than in on at about under over between".split())
# Programs whose first plain word is a subcommand (docker images, npm install, kubectl get).
SUBCOMMAND_PROGRAMS = frozenset("""git docker podman kubectl helm npm npx yarn pnpm cargo go pip pip3 poetry uv conda
apt apt-get dnf yum brew snap flatpak nix systemctl journalctl terraform gh aws gcloud az heroku nlsh""".split())
# Builtins whose every argument has a known shape: a word of another shape ("wait 20 seconds",
# "read app.log", "sleep for a minute") makes the line English.
ARGUMENT_SHAPES = {
    "wait": re.compile(r"%?\d+|%[%+-]|-[fnp]+|-p\w*"),
    "read": re.compile(r"-[a-zA-Z]+|-[a-zA-Z]\S*|\d+|[A-Za-z_]\w*"),
    "sleep": re.compile(r"[\d.]+[smhd]?|inf(inity)?|--?\w+"),
}
_COMMAND_CHARS = re.compile(r"[/.~$=*?\[\]{}@:%+,\\#^_]|\w-\w|[a-z]\d|\d[a-z]")  # also my-dir, app_2, v2
_NUMBER = re.compile(r"\d[\d.]*[a-zA-Z%]{0,3}")  # 1234, 1.5, 100MB, 50%


@dataclass(frozen=True)
class Shape:
    command: bool
    why: str  # what decided it: "find runs here; no English words", "English words after make"


def judge(line: str, index: CommandIndex, cwd: Path) -> Shape:
    tree = parse(line)
    if has_syntax_error(tree):
        return Shape(False, "it does not parse as bash")
    with reading(line):
        commands, syntax = _commands(tree.root_node)
        if not commands:
            return Shape(syntax, "shell syntax" if syntax else "no command in it")
        name, args = _unwrap(commands[0])
        comparison = _compares_sizes(tree.root_node)
    if name in CONTINUATIONS:
        return Shape(False, f"{name} is not a command by itself")
    if not _runnable(name, index):
        return Shape(False, f"{name} is not a command here")
    shape = ARGUMENT_SHAPES.get(name)
    if shape is not None and not syntax and any(
            kind not in SHELL_WORDS and kind != "concatenation" and not shape.fullmatch(text) for text, kind in args):
        return Shape(False, f"{name} takes no words like these")
    strong, english = _weigh(name, args, cwd)
    if syntax:  # pipes, redirections, lists: a person writing English rarely types them...
        strong += 2
    if comparison:  # ...except "> 100MB", which compares sizes
        english += 2
    if not english:
        if name in REQUEST_VERBS and args and not strong and not syntax:
            return Shape(False, f"'{name}' followed by plain words")
        return Shape(True, f"{name} runs here; no English words")
    if strong > english:
        return Shape(True, f"{name} runs here; its arguments read as a command line")
    return Shape(False, f"English words after {name}")


def _commands(root: Any) -> tuple[list[Any], bool]:
    """The command nodes in source order, and whether any shell syntax is present."""
    commands, syntax = [], False
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in SHELL_SYNTAX:
            syntax = True
        if node.type == "command":
            commands.append(node)
        stack.extend(reversed(node.children))
    return commands, syntax


def _words(command: Any) -> list[Any]:
    return [c for c in command.children if c.type not in ("variable_assignment", "file_redirect", "herestring_redirect")]


def _unwrap(command: Any) -> tuple[str, list[tuple[str, str]]]:
    """(program, [(argument text, node type)]) with wrappers such as sudo or time taken off."""
    typed = [(node_text(n), n.type) for n in _words(command)]
    start = inner_command([text for text, _ in typed])
    if start >= len(typed):  # `sudo` alone, `time` alone: the wrapper is the command
        start = 0
    return typed[start][0], typed[start + 1:]


def _compares_sizes(root: Any) -> bool:
    """A redirection to a number or size ("> 100MB", "< 5") is English comparing, not a file."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "file_redirect":
            operators = [c.type for c in node.children if not c.is_named]
            target = node.child_by_field_name("destination")
            plain = operators in ([">"], ["<"]) and not any(c.type == "file_descriptor" for c in node.children)
            if plain and target is not None and _NUMBER.fullmatch(node_text(target)):
                return True
        stack.extend(node.children)
    return False


def _runnable(name: str, index: CommandIndex) -> bool:
    return "/" in name or index.runnable(name)


def _weigh(program: str, args: list[tuple[str, str]], cwd: Path) -> tuple[int, int]:
    """(command evidence, English evidence) among the arguments."""
    strong = english = 0
    targets = make_targets(str(cwd)) if program == "make" else frozenset()
    for position, (text, kind) in enumerate(args):
        word = text.lower()
        if position == 0 and program in SUBCOMMAND_PROGRAMS and re.fullmatch(r"[a-z][a-z-]*", text):
            strong += 1  # its subcommand, however English it looks (images, install, status)
        elif text.startswith("-") and len(text) > 1:
            strong += 2  # a flag is the surest sign of a command line
        elif kind in SHELL_WORDS or kind == "concatenation" or _COMMAND_CHARS.search(text) \
                or _NUMBER.fullmatch(text) or text in targets or (text.isupper() and len(text) > 1):
            strong += 1
        elif len(word) == 1 and word not in ("a", "i"):
            strong += 1  # touch a b c
        elif word in PREPOSITIONS:
            english += 2  # "rename notes.txt to todo.txt": a preposition joins English phrases
        elif word in FUNCTION_WORDS:
            english += 1
        elif os.path.lexists(cwd / text):  # before request words: `rmdir empty` names a directory
            strong += 1
        elif word in REQUEST_WORDS or program in READS_FILES:
            english += 1
    return strong, english


def make_targets(cwd: str) -> frozenset[str]:
    for name in ("GNUmakefile", "makefile", "Makefile"):
        path = os.path.join(cwd, name)
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            continue
        return _targets(path, stamp)
    return frozenset()


@lru_cache(maxsize=32)
def _targets(path: str, _stamp: int) -> frozenset[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(256 * 1024)
    except OSError:
        return frozenset()
    names = set()
    for match in re.finditer(r"^([A-Za-z0-9_.\-/ ]+):(?!=)", text, re.MULTILINE):
        names.update(match.group(1).split())
    return frozenset(names)

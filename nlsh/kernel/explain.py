"""Explain a command line part by part: each program, subcommand and option from the program's own
documentation (man page, bash `help`, `--help`), the shell's syntax (pipes, redirections, lists,
substitutions) from what bash does, and only what those leave unexplained from a model.

    explain("tar -xzf logs.tgz | wc -l") -> [Part("tar", "an archiving utility", "man tar(1)", "program"),
                                            Part("-x", "Extract files from an archive", "man tar(1)", "option"), ...]

No part of this runs the command. Reading documentation may run `man` and, for a program without a
man page, `PROGRAM --help` under the limits described in manuals.py."""

from __future__ import annotations

import glob as globbing
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from nlsh.kernel.manual_text import OptionDoc
from nlsh.kernel.manuals import Manual, manual
from nlsh.kernel.wrappers import WRAPPER_VALUES, WRAPPERS
from nlsh.safety.shell_risk.parsing import has_syntax_error, node_text, parse, reading

MODEL_PARTS = 6  # at most this many parts are sent to a model, one short question each
MAX_LINE = 20_000  # characters; nobody reads an explanation of a longer line


@dataclass(frozen=True)
class Part:
    text: str  # as written in the line ("-x" for the x inside "-xzf")
    meaning: str  # "" when nothing covered it
    source: str  # "man tar(1)", "bash help", "ls --help", "bash", "model", "" when unexplained
    kind: str = "argument"  # program, subcommand, option, argument, operator, redirect, assignment, syntax


OPERATORS = {
    "|": "passes the output of the command before it to the input of the command after it",
    "|&": "passes the output and the error messages of the command before it to the command after it",
    "&&": "runs what follows only if the command before it succeeded",
    "||": "runs what follows only if the command before it failed",
    ";": "then, whatever happened, runs what follows",
    "&": "runs the command before it in the background",
    "!": "inverts the exit status: success becomes failure and the other way round",
}
END_OF_OPTIONS = "ends the options: what follows is taken as arguments even if it starts with -"
SEPARATED = frozenset(("program", "list", "subshell", "compound_statement", "pipeline"))


def explain(command_line: str, *, model: Any = None, cwd: Path | None = None, run_help: bool = True,
            arguments: bool = True) -> list[Part]:
    """Each part of COMMAND_LINE with what it means and where that came from. With a model, parts
    that no documentation covers get a short meaning from it (source "model"). With run_help False,
    no program is run for its --help (manuals.manual); with arguments False, arguments are listed
    without a meaning (no globbing, no file system lookups)."""
    if len(command_line) > MAX_LINE:
        return [Part(command_line[:60] + "...", "too long to explain part by part", "", "syntax")]
    tree = parse(command_line)
    if has_syntax_error(tree):
        return [Part(command_line, "bash cannot parse this line as it is written", "bash", "syntax")]
    walker = _Walker(cwd or Path.cwd(), run_help, arguments)
    try:
        with reading(command_line):
            walker.walk(tree.root_node)
    except RecursionError:  # thousands of nested lists: say so rather than fail
        return [Part(command_line[:60] + "...", "nested too deeply to explain part by part", "", "syntax")]
    parts = walker.parts
    if model is not None:
        from nlsh.kernel.explain_model import fill_from_model

        parts = fill_from_model(parts, command_line, model)
    return parts


class _Walker:
    def __init__(self, cwd: Path, run_help: bool = True, arguments: bool = True):
        self.cwd = cwd
        self.run_help = run_help
        self.describe_arguments = arguments
        self.parts: list[Part] = []

    def manual(self, name: str) -> Manual | None:
        return manual(name, self.run_help)

    def add(self, text: str, meaning: str, source: str, kind: str) -> None:
        self.parts.append(Part(text, meaning, source, kind))

    def walk(self, node: Any) -> None:
        kind = node.type
        if kind == "command":
            self.command(node)
        elif kind in ("file_redirect", "herestring_redirect", "heredoc_redirect"):
            self.add(node_text(node), _redirect_meaning(node), "bash", "redirect")
        elif kind in ("command_substitution", "process_substitution"):
            what = "its output here" if kind == "command_substitution" else "a file name that reads its output here"
            self.add(node_text(node), f"runs the command inside and puts {what}", "bash", "syntax")
            self.children(node)
        elif kind == "subshell":
            self.add(node_text(node), "runs the commands inside in a subshell: a cd or a variable set there does not last", "bash", "syntax")
            self.children(node)
        elif kind == "variable_assignment":
            self.add(node_text(node), _assignment_meaning(node, for_command=False), "bash", "assignment")
        elif kind == "function_definition":
            name = node.child_by_field_name("name")
            self.add(node_text(node).split("{")[0].strip() or "function",
                     f"defines a function named {node_text(name) if name else '?'}", "bash", "syntax")
            self.children(node)
        elif kind in ("for_statement", "while_statement", "if_statement", "case_statement", "c_style_for_statement"):
            keyword = node.children[0].type
            found = self.manual(keyword)
            self.add(keyword, found.summary if found else "", found.source if found else "", "syntax")
            self.children(node)
        elif not node.is_named and kind in OPERATORS and (kind != ";" or (node.parent and node.parent.type in SEPARATED)):
            self.add(kind, OPERATORS[kind], "bash", "operator")
        else:
            self.children(node)

    def children(self, node: Any) -> None:
        for child in node.children:
            self.walk(child)

    def command(self, node: Any) -> None:
        words = []
        for child in node.children:
            if child.type == "variable_assignment":
                self.add(node_text(child), _assignment_meaning(child, for_command=True), "bash", "assignment")
            elif child.type in ("file_redirect", "herestring_redirect"):
                self.add(node_text(child), _redirect_meaning(child), "bash", "redirect")
            else:
                words.append(child)
        self.argv([node_text(w) for w in words])
        for word in words:  # substitutions inside arguments are commands too
            for inner in _substitutions(word):
                self.walk(inner)

    def argv(self, words: list[str]) -> None:
        if not words:
            return
        program = os.path.basename(words[0]) or words[0]
        docs = self.manual(program)
        self.add(words[0], docs.summary if docs else "", docs.source if docs else "", "program")
        rest = words[1:]
        if program in WRAPPERS:
            self.wrapped(program, docs, rest)
            return
        manuals = [m for m in (docs,) if m is not None]
        if rest and re.fullmatch(r"[a-z][a-z0-9-]*", rest[0]):
            sub = self.manual(f"{program}-{rest[0]}")  # git-status(1), docker-run(1)
            if sub is not None:
                self.add(rest[0], sub.summary, sub.source, "subcommand")
                manuals.insert(0, sub)
                rest = rest[1:]
            elif docs is not None and rest[0] in docs.commands:
                self.add(rest[0], docs.commands[rest[0]], docs.source, "subcommand")
                rest = rest[1:]
        self.arguments(program, manuals, rest)

    def wrapped(self, program: str, docs: Manual | None, words: list[str]) -> None:
        """sudo -u ann rm x: sudo's options, then `rm x` as a command of its own."""
        i = 0
        manuals = [docs] if docs else [_known_values(program)]
        while i < len(words) and words[i].startswith("-") and words[i] != "-":
            if words[i] == "--":
                self.add("--", END_OF_OPTIONS, "convention", "option")
                i += 1
                break
            i = self.option(manuals, words, i)
        while program == "env" and i < len(words) and re.match(r"[A-Za-z_][A-Za-z0-9_]*=", words[i]):
            name, _, value = words[i].partition("=")
            self.add(words[i], f"sets {name} to {value!r} for the command", "bash", "assignment")
            i += 1
        for _ in range(WRAPPERS[program]):
            if i < len(words):
                self.add(words[i], f"an argument to {program}", "", "argument")
                i += 1
        self.argv(words[i:])

    def arguments(self, program: str, manuals: list[Manual], words: list[str]) -> None:
        i, options_end = 0, False
        while i < len(words):
            word = words[i]
            if word == "--" and not options_end:
                self.add(word, END_OF_OPTIONS, "convention", "option")
                options_end, i = True, i + 1
            elif not options_end and word.startswith("-") and len(word) > 1:
                i = self.option(manuals, words, i)
            else:
                if not _whole_substitution(word):  # $(date) is explained as the command inside
                    meaning = _argument_meaning(word, program, self.cwd) if self.describe_arguments else ""
                    self.add(word, meaning, "", "argument")
                i += 1

    def option(self, manuals: list[Manual], words: list[str], i: int) -> int:
        """Explain the option at words[i] (and its value, when it takes one); returns the next index."""
        word = words[i]
        if word.startswith("--"):
            name, equals, _ = word.partition("=")
            found = _lookup(manuals, name) or _lookup_prefix(manuals, name)
            return self._one(found, word, words, i, needs_value=not equals)
        found = _lookup(manuals, word)  # -name, -size (find), -5 (head)
        letters = _cluster(manuals, word)
        if found is not None or letters is None:
            return self._one(found, word, words, i, needs_value=True)
        for position, (letter, (doc, source)) in enumerate(letters, 1):  # -xzf archive, -d:, -n5, -w4
            attached = word[position + 1:]
            if doc.value is not None and attached:  # even an optional value may be attached
                self.add(f"-{letter}{attached}", doc.meaning, source, "option")
                return i + 1
            if doc.takes_value:
                return self._one((doc, source), f"-{letter}", words, i, needs_value=True)
            self.add(f"-{letter}", doc.meaning, source, "option")
        return i + 1

    def _one(self, found: tuple[OptionDoc, str] | None, text: str, words: list[str], i: int, *, needs_value: bool) -> int:
        if found is None:
            self.add(text, "", "", "option")
            return i + 1
        doc, source = found
        if needs_value and doc.takes_value and i + 1 < len(words):
            self.add(f"{text} {words[i + 1]}", doc.meaning, source, "option")
            return i + 2
        self.add(text, doc.meaning, source, "option")
        return i + 1


def _lookup(manuals: list[Manual], name: str) -> tuple[OptionDoc, str] | None:
    for m in manuals:
        doc = m.option(name)
        if doc is not None:
            return doc, m.source
    return None


def _cluster(manuals: list[Manual], word: str) -> list[tuple[str, tuple[OptionDoc, str]]] | None:
    """-xzf as -x -z -f: each letter documented, up to one that takes a value (the rest of the word
    is then that value); None when the word is not such a cluster."""
    if not re.match(r"-[A-Za-z0-9]", word):
        return None
    letters = []
    for letter in word[1:]:
        found = _lookup(manuals, f"-{letter}")
        if found is None:
            return None
        letters.append((letter, found))
        if found[0].value is not None:  # the rest of the word is its value (-w4, -i.bak)
            break
    return letters


def _known_values(program: str) -> Manual:
    names = WRAPPER_VALUES.get(program, "").split()
    return Manual(program, "", "", [OptionDoc((n,), "", "VALUE") for n in names])


def _lookup_prefix(manuals: list[Manual], name: str) -> tuple[OptionDoc, str] | None:
    """GNU programs accept any unambiguous start of a long option (--outp for --output)."""
    for m in manuals:
        matches = {doc for doc in m.options for n in doc.names if n.startswith("--") and n.startswith(name)}
        if len(matches) == 1:
            return matches.pop(), m.source
    return None


def _substitutions(node: Any) -> Iterable[Any]:
    if node.type in ("command_substitution", "process_substitution"):
        yield node
        return
    for child in node.children:
        yield from _substitutions(child)


def _whole_substitution(word: str) -> bool:
    return (word.startswith(("$(", "<(", ">(")) and word.endswith(")")) or (len(word) > 1 and word[0] == word[-1] == "`")


def _assignment_meaning(node: Any, *, for_command: bool) -> str:
    name, _, value = node_text(node).partition("=")
    where = "for this command only" if for_command else "in the shell"
    return f"sets the variable {name} to {value!r} {where}"


def _redirect_meaning(node: Any) -> str:
    text = node_text(node)
    match = re.match(r"(\d*)(&>>|&>|>>|>\||>&|<&|<<<|<<-?|<>|>|<)\s*(.*)", text, re.DOTALL)
    if not match:
        return ""
    fd, operator, target = match.groups()
    what = {"": "the output", "1": "the output", "2": "the error messages"}.get(fd, f"file descriptor {fd}")
    if operator in (">&", "<&") and target.isdigit():
        other = {"1": "the output", "2": "the error messages"}.get(target, f"file descriptor {target}")
        return f"sends {what} where {other} goes"
    if target == "/dev/null" and operator in (">", ">>", "&>", "&>>"):
        return f"throws away {'the output and the error messages' if operator.startswith('&') else what}"
    return {
        ">": f"writes {what} to {target}, replacing what it held",
        ">|": f"writes {what} to {target}, replacing what it held even when noclobber is set",
        ">>": f"appends {what} to {target}",
        "&>": f"writes the output and the error messages to {target}, replacing what it held",
        "&>>": f"appends the output and the error messages to {target}",
        "<": f"reads the input from {target}",
        "<>": f"opens {target} for reading and writing",
        "<<<": "gives the text that follows as the input",
        "<<": "gives the lines that follow, up to the end marker, as the input",
        "<<-": "gives the lines that follow, up to the end marker, as the input",
    }.get(operator, "")


def _argument_meaning(word: str, program: str, cwd: Path) -> str:
    bare = word.strip("'\"")
    if re.match(r"[a-z][a-z0-9+.-]*://", bare):
        return "an address (URL)"
    if any(c in word for c in "*?[") and not word.startswith(("'", '"')):
        count = len(globbing.glob(os.path.join(str(cwd), os.path.expanduser(word))))
        return f"the names that match {word} ({count} here now)"
    path = Path(os.path.expanduser(bare))
    path = path if path.is_absolute() else cwd / path
    if path.is_dir():
        return f"the directory {bare}"
    if path.exists():
        return f"the file {bare}"
    return f"an argument to {program}"

"""Reading a program's own documentation: the one-line summary and the option table of a rendered
man page, a `--help` text or bash's `help`. Pure text in, plain data out; finding and caching the
texts is manuals.py's job.

All three formats list an option the same way, which is what this relies on: a line that starts
(after some indentation) with the option's names, then its description either on the same line
after a wide gap (a tab or two spaces) or on the following lines, indented deeper."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MEANING = 200  # characters of a description kept: its first sentence, usually
TAG_WIDTH = 8  # man's default indent for a tagged paragraph (7) and the space after the tag

# One name of an option as written in its heading: -a, --all, -size, --color[=WHEN], -n NUM,
# --lines=[+]NUM, -u[<mode>], --state= (a value always follows). Group 1 is the name; the rest says
# whether a value follows.
_NAME = re.compile(r"(-{1,2}[A-Za-z0-9?#@][\w\-.]*)(\[=?[^\]\s]*\]|=\S*|\[\S*\])?(?: ([A-Z<\[{][\w\-.<>\[\]{}|+]*|[a-z][\w\-]*(?:\[\w+\])?))?")
# Names in one heading are separated by commas ("-a, --all"), semicolons ("-number; -n"), "or", or
# just spaces before the next dash ("-d --decompress --uncompress", as gzip and bzip2 write them).
_BETWEEN_NAMES = re.compile(r",\s*|;\s*|\s+or\s+|\s+(?=-)")
# What ends an action of find's: "-exec command ;", "-ok command {} +".
_TERMINATOR = re.compile(r"\s+(?:\{\}\s+)?[;+]$")
_HEADING = re.compile(r"^(?P<indent> {1,10})(?P<head>-{1,2}[A-Za-z0-9?#@][^\t]*?)(?:(?: {2,}|\t+)(?P<rest>\S.*))?$")
_BACKSPACED = re.compile(r".\x08")


@dataclass(frozen=True)
class OptionDoc:
    names: tuple[str, ...]  # every spelling: ("-a", "--all")
    meaning: str  # the first sentence of its description
    value: str | None = None  # the value's placeholder (FILE, NUM) when the option takes one
    value_optional: bool = False  # --color[=WHEN]: the value may be left out

    @property
    def takes_value(self) -> bool:
        return self.value is not None and not self.value_optional


def plain(text: str) -> str:
    """Rendered man text without overstrike bold/underline and with tabs as spaces."""
    return _BACKSPACED.sub("", text).expandtabs(8)


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    match = re.search(r"(?<=[a-z0-9)\"'])\.(?:\s|$)", text)
    if match:
        sentence = text[: match.start()]
    else:  # "entries starting with ." keeps its dot: it is the thing being named
        sentence = text[:-1] if len(text) > 1 and text.endswith(".") and text[-2].isalnum() else text
    sentence = sentence.strip().rstrip(";:,")
    return sentence if len(sentence) <= MAX_MEANING else sentence[: MAX_MEANING - 3].rstrip() + "..."


def _names(head: str) -> tuple[list[str], str | None, bool] | None:
    """The names in an option heading and the value it takes; None when it is not an option list."""
    names, value, optional = [], None, False
    for piece in _BETWEEN_NAMES.split(_TERMINATOR.sub("", head.strip())):
        match = _NAME.fullmatch(piece.strip())
        if not match:  # all names or none: "-print True; print ..." is a tag and its description
            return None
        name, attached, spaced = match.groups()
        names.append(name)
        if attached:
            optional = attached.startswith("[")
            value = attached.strip("[]=") or "VALUE"  # --state=: a value, unnamed
        elif spaced:
            value = spaced
    return (names, value, optional) if names else None


def parse_options(text: str) -> list[OptionDoc]:
    """Every option described in a man page, a --help text or a bash `help` text, in order."""
    lines = plain(text).splitlines()
    options: list[OptionDoc] = []
    i = 0
    while i < len(lines):
        heading = _heading(lines, i)
        if heading is None:
            i += 1
            continue
        names, value, optional, indent, rest = heading
        i += 1
        # "-r" on one line and "--recurse-paths" on the next (zip, wget): one option, two names
        while not rest and i < len(lines) and (alias := _heading(lines, i)) and alias[3] == indent:
            names, value, optional = names + alias[0], value or alias[1], optional or alias[2]
            rest = alias[4]
            i += 1
        # sed and grep leave a blank line between the heading and its description
        if not rest and i + 1 < len(lines) and not lines[i].strip() and _continues(lines[i + 1], indent):
            i += 1
        description = [rest]
        # a description may itself start with an option's name ("--vacuum-time= removes ...")
        while i < len(lines) and (_continues(lines[i], indent) or (
                description == [""] and lines[i].strip() and _indent(lines[i]) > indent)):
            description.append(lines[i].strip())
            i += 1
        meaning = first_sentence(" ".join(description))
        if meaning:
            options.append(OptionDoc(tuple(names), meaning, value, optional))
    return options


def _heading(lines: list[str], i: int) -> tuple[list[str], str | None, bool, int, str] | None:
    """(names, value, value optional, indent, description on the same line) when lines[i] starts
    an option's entry."""
    match = _HEADING.match(lines[i])
    if not match:
        return None
    indent = len(match.group("indent"))
    head, rest = match.group("head"), match.group("rest") or ""
    parsed = _names(head)
    if parsed is None:
        # "-empty File is empty": man sets a tag that fits in the paragraph's indent (7 columns)
        # on the description's first line, one space before it
        tag, _, after = head.partition(" ")
        # a sentence ("-empty File is empty") or a long option's ("--help display this help"),
        # not prose that happens to start with an option ("-M limit) is shorter to type")
        if (after[:1].isupper() or tag.startswith("--")) and len(tag) < TAG_WIDTH:
            head, rest = tag, f"{after} {rest}".strip()
            parsed = _names(head)
    if parsed is None:
        return None
    return (*parsed, indent, rest)


def _continues(line: str, indent: int) -> bool:
    return bool(line.strip()) and _indent(line) > indent and not _HEADING.match(line)


_MENTION = re.compile(r"(?<![\w\-/.=])(-{1,2}[A-Za-z0-9?#@][\w\-]*)")


def mentioned_options(text: str) -> tuple[str, ...]:
    """Every option name the text mentions anywhere ("[--tcp|-t]" in a synopsis, "-or" in prose),
    for knowing that an option exists when no entry of the option table describes it."""
    return tuple(sorted(set(_MENTION.findall(plain(text)))))


def takes_command(text: str) -> bool:
    """Whether the synopsis or usage line has a command or subcommand after the program
    (`git ... <command>`, `systemctl [OPTIONS...] COMMAND`, `xargs [options] [command]`): what
    follows it has options of its own that this text need not list."""
    return bool(re.search(r"(?i)\b(?:sub)?command\b", synopsis(text)))


def synopsis(text: str) -> str:
    """The SYNOPSIS section of a man page, or the usage lines of a --help text."""
    lines = plain(text).splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "SYNOPSIS":
            body = []
            for following in lines[i + 1:]:
                if following.strip() and not following.startswith(" "):
                    break
                body.append(following)
            return "\n".join(body)
    return "\n".join(line for line in lines if re.match(r"\s*(?:usage|or):", line, re.I))


# A subcommand entry: "  run         Create and run ...", "       install, reinstall, remove (apt-get(8))",
# "       list-units [PATTERN...]" (description on the next lines).
_COMMAND = re.compile(r"^(?P<indent> {2,8})(?P<names>[a-z][\w-]*(?:, ?[a-z][\w-]*)*)(?P<args>(?: [\[<A-Z(][^ ]*)*)(?:(?: {2,}|\t+)(?P<rest>\S.*))?$")
_SECTION = re.compile(r"^ {0,3}(?P<title>[A-Za-z](?:[\w()/-]| (?! ))*?):?\s*$")  # no wide gap inside


def parse_commands(text: str) -> dict[str, str]:
    """Subcommand -> what it does, from the sections of a man page or --help text whose title
    mentions commands ("COMMANDS", "Common Commands:", "Unit Commands (...)")."""
    lines = plain(text).splitlines()
    found: dict[str, str] = {}
    in_commands = False
    i = 0
    while i < len(lines):
        line = lines[i]
        section = _SECTION.match(line) if _indent(line) <= 3 and line.strip() else None
        if section:
            in_commands = "command" in section.group("title").lower()
            i += 1
            continue
        match = _COMMAND.match(line) if in_commands else None
        if not match:
            i += 1
            continue
        indent = len(match.group("indent"))
        description = [match.group("rest") or ""]
        i += 1
        while i < len(lines) and lines[i].strip() and _indent(lines[i]) > indent + 1:
            description.append(lines[i].strip())
            i += 1
        meaning = first_sentence(" ".join(description))
        if meaning:
            for name in re.split(r", ?", match.group("names")):
                found.setdefault(name, meaning)
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def man_summary(text: str) -> str:
    """What the NAME section says the program is: 'ls - list directory contents' -> the part after
    the dash."""
    lines = plain(text).splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "NAME":
            body = []
            for following in lines[i + 1:]:
                if following and not following.startswith(" "):
                    break
                body.append(following.strip())
            name_line = " ".join(b for b in body if b)
            match = re.search(r"\s(?:\\?-|\u2014|\u2013)\s+(.*)", name_line)
            return first_sentence(match.group(1) if match else name_line)
    return ""


def help_summary(text: str) -> str:
    """The first line of a --help text that says what the program does (not its usage line)."""
    for line in plain(text).splitlines():
        stripped = line.strip()
        if not stripped or re.match(r"(?i)usage:|^\w[\w.-]* \[|^-", stripped) or line.startswith(" "):
            continue
        return first_sentence(stripped)
    return ""

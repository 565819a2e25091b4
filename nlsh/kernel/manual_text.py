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

# One name of an option as written in its heading: -a, --all, -size, --color[=WHEN], -n NUM,
# --lines=[+]NUM, -u[<mode>]. Group 1 is the name; the rest says whether a value follows.
_NAME = re.compile(r"(-{1,2}[A-Za-z0-9?#@][\w\-.]*)(\[=?[^\]\s]*\]|=\S+|\[\S*\])?(?: ([A-Z<\[{][\w\-.<>\[\]{}|+]*|[a-z][\w\-]*(?:\[\w+\])?))?")
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
    for piece in re.split(r",\s*|\s+or\s+", head.strip()):
        match = _NAME.fullmatch(piece.strip())
        if not match:
            return None if not names else (names, value, optional)
        name, attached, spaced = match.groups()
        names.append(name)
        if attached:
            optional = attached.startswith("[")
            value = attached.strip("[]=") or "VALUE"
        elif spaced:
            value = spaced
    return (names, value, optional) if names else None


def parse_options(text: str) -> list[OptionDoc]:
    """Every option described in a man page, a --help text or a bash `help` text, in order."""
    lines = plain(text).splitlines()
    options: list[OptionDoc] = []
    i = 0
    while i < len(lines):
        match = _HEADING.match(lines[i])
        parsed = _names(match.group("head")) if match else None
        if not match or not parsed:
            i += 1
            continue
        names, value, optional = parsed
        indent = len(match.group("indent"))
        description = [match.group("rest") or ""]
        i += 1
        while i < len(lines) and lines[i].strip() and _indent(lines[i]) > indent and not _HEADING.match(lines[i]):
            description.append(lines[i].strip())
            i += 1
        meaning = first_sentence(" ".join(description))
        if meaning:
            options.append(OptionDoc(tuple(names), meaning, value, optional))
    return options


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

"""Text filters that are read-only unless told to write: sed -i, awk with system(), sort -o, ..."""

from __future__ import annotations

import re

from ..risk import Risk
from .env import Env
from .options import abbreviates, parse_options
from .registry import command_name, handles
from .words import Word
from .writes import note_change, note_write

# sed's s and y commands (any delimiter) with s's flags, and /regex/ addresses: what is left of a
# script without them is commands, labels and a/i/c text.
_SED_SUBSTITUTE = re.compile(r"([sy])([^\\\n])((?:\\.|(?!\2).)*)\2((?:\\.|(?!\2).)*)\2([a-zA-Z0-9]*)", re.DOTALL)
_SED_ADDRESS = re.compile(r"/(?:\\.|[^/\\])*/[IM]*|\\(.)(?:\\.|(?!\1).)*\1")


def sed_writes_or_runs(script: str) -> bool:
    """Whether a sed script may write a file or run a command: an s///w or s///e flag, or a w, W
    or e command anywhere (1wFILE needs no space). Read by allow-list: a w or e letter left after
    the s commands and addresses are taken out counts, even inside a/i/c text."""
    flags = [m.group(1) == "s" and set(m.group(5)) & set("we") for m in _SED_SUBSTITUTE.finditer(script)]
    if any(flags):
        return True
    rest = _SED_ADDRESS.sub("", _SED_SUBSTITUTE.sub(";", script))
    return bool(re.search(r"[wWe]", rest))


def _sed_parts(args: list[Word]) -> tuple[bool, list[Word], list[Word]]:
    """(in place?, scripts, files). `-i`, `-i.bak`, `-ni`, `--in-place` all mean in place."""
    in_place = False
    scripts: list[Word] = []
    operands: list[Word] = []
    i = 0
    while i < len(args):
        word, text = args[i], args[i].value
        i += 1
        if text is None or not text.startswith("-") or text == "-":
            operands.append(word)
            continue
        if text == "--":
            operands.extend(args[i:])
            break
        if text.startswith("--"):
            name, eq, value = text.partition("=")
            in_place = in_place or abbreviates(name, "--in-place")
            if (abbreviates(name, "--expression") or abbreviates(name, "--file")) and (eq or i < len(args)):
                scripts.append(Word(value, value) if eq else args[i])
                i += 0 if eq else 1
            continue
        for pos, letter in enumerate(text[1:], start=1):
            if letter == "i":
                in_place = True
                break  # the rest is a backup suffix
            if letter in "efl":
                value = text[pos + 1:]
                taken = Word(value, value) if value else (args[i] if i < len(args) else Word("", ""))
                i += 0 if value else 1
                if letter in "ef":
                    scripts.append(taken if letter == "e" else Word("-f " + taken.text, None))
                break
    if not scripts and operands:
        scripts.append(operands.pop(0))
    return in_place, scripts, operands


@handles("sed", "gsed")
def sed(argv: list[Word], env: Env) -> None:
    in_place, scripts, files = _sed_parts(argv[1:])
    for script in scripts:
        if script.value is None:
            env.add(Risk.UNKNOWN, f"sed runs a script chosen at run time ({script.text})")
        elif sed_writes_or_runs(script.value):
            env.add(Risk.UNKNOWN, f"sed script {script.value!r} may write files or run commands")
    if in_place:
        note_change(env, "sed -i", files, "edits files in place")


_AWK_REDIRECT = re.compile(r"print[f]?\b[^;{}]*?(>>?)")


@handles("awk", "gawk", "mawk", "nawk", "busybox-awk")
def awk(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    opts = parse_options(argv[1:], with_value="Ffvie", long_with_value=("--file", "--include", "--source"),
                         stop_at_operand=True)
    if opts.value("-f", "--file"):
        env.add(Risk.UNKNOWN, f"{name} runs a program file nlsh cannot check")
        return
    if any(w.value == "inplace" for w in opts.values.get("-i", [])):
        note_change(env, f"{name} -i inplace", opts.operands[1:], "edits files in place")
    program = opts.value("-e", "--source") or (opts.operands[0] if opts.operands else None)
    if program is None:
        return
    text = program.value
    if text is None:
        env.add(Risk.UNKNOWN, f"{name} runs a program chosen at run time")
    elif "system" in text or "|" in text.replace("||", ""):
        env.add(Risk.UNKNOWN, f"the {name} program may run commands")
    elif _AWK_REDIRECT.search(text):
        env.add(Risk.DESTRUCTIVE, f"the {name} program writes to files")


@handles("sort", "shuf")
def sort(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="oktSTn" if argv[0].value == "sort" else "oein",
                         long_with_value=("--output", "--key", "--field-separator", "--buffer-size",
                                          "--temporary-directory"))
    output = opts.value("-o", "--output")
    if output is not None:
        note_write(env, f"{command_name(argv)} -o", output)
    if opts.has("", "--compress-program"):
        env.add(Risk.UNKNOWN, "sort --compress-program runs a program of the caller's choice")


@handles("uniq", "xxd", "iconv", "sdiff")
def filter_with_output_file(argv: list[Word], env: Env) -> None:
    """uniq IN OUT and xxd IN OUT write their second operand; iconv and sdiff take -o."""
    name = command_name(argv)
    opts = parse_options(argv[1:], with_value={"uniq": "fsw", "xxd": "cglnosC", "iconv": "fto",
                                               "sdiff": "ow"}[name],
                         long_with_value=("--output", "--from-code", "--to-code"))
    output = opts.value("-o", "--output") if name in ("iconv", "sdiff") else None
    if name in ("uniq", "xxd") and len(opts.operands) >= 2:
        output = opts.operands[1]
    if output is not None:
        note_write(env, name, output)


@handles("split", "csplit")
def split(argv: list[Word], env: Env) -> None:
    env.add(Risk.WRITE, f"{command_name(argv)} writes pieces of a file into new files")
    if parse_options(argv[1:], long_with_value=("--filter",)).has("", "--filter"):
        env.add(Risk.UNKNOWN, "split --filter runs a shell command for every piece")

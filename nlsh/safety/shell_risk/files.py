"""Commands that delete, move, copy or change files."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .options import parse_options
from .paths import is_critical_tree
from .registry import command_name, handles
from .words import Word, path_text
from .writes import note_change, note_copy, note_write


@handles("rm")
def rm(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:])
    recursive = opts.has("rR", "--recursive")
    what = "deletes directories and everything in them" if recursive else "deletes files"
    note_change(env, "rm -r" if recursive else "rm", opts.operands, what)
    if recursive:
        for word in opts.operands:
            _wipe_check(env, "rm -r", word)
    if "--no-preserve-root" in opts.long:
        env.add(Risk.SYSTEM, "rm --no-preserve-root allows deleting /")


def _wipe_check(env: Env, who: str, word: Word) -> None:
    """rm -r ~, rm -rf /, rm -rf /* or rm -rf * in / : the whole machine or home directory."""
    path = path_text(word)
    if path is None:
        return
    if word.glob:
        # `dir/*` empties dir as surely as `dir` itself; a narrower pattern (*.log) does not.
        head, slash, last = path.rpartition("/")
        if last not in ("*", ".*") or any(c in head for c in "*?["):
            return
        path = (head or "/") if slash else "."
    resolved = env.resolve(path)
    if is_critical_tree(resolved, env.home):
        env.add(Risk.SYSTEM, f"{who} on {word.text} wipes {resolved}", [str(resolved)])


@handles("rmdir", "unlink")
def remove_entries(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:])
    note_change(env, command_name(argv), opts.operands, "deletes files" if argv[0].value == "unlink"
                else "deletes directories")


@handles("shred", "wipe", "srm")
def shred(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="nsx", long_with_value=("--iterations", "--size"))
    note_change(env, command_name(argv), opts.operands, "overwrites files so they cannot be recovered")


@handles("truncate")
def truncate(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="sr", long_with_value=("--size", "--reference"))
    note_change(env, "truncate", opts.operands, "cuts files to a new size")


@handles("mv", "cp", "install", "ln")
def move_or_copy(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    opts = parse_options(argv[1:], with_value="tSmogb" if name == "install" else "tS",
                         long_with_value=("--target-directory", "--suffix"))
    operands = list(opts.operands)
    if name == "install" and opts.has("d", "--directory"):
        env.add(Risk.WRITE, "install -d creates directories", [env.target_of(w) for w in operands])
        return
    directory = opts.value("-t", "--target-directory")
    if directory is None:
        if len(operands) < 2 and name != "ln":
            return  # mv/cp with one operand fails without doing anything
        directory = operands.pop() if operands else None
    if name == "mv":
        note_change(env, "mv", operands, "moves files away from where they are", Risk.WRITE)
    no_clobber = opts.has("n", "--no-clobber", "--update=none") or (name == "ln" and not opts.has("f", "--force"))
    if directory is None:  # ln TARGET: link in the current directory
        return
    note_copy(env, name, operands, directory, no_clobber)


@handles("touch", "mkdir", "mktemp", "mkfifo", "mknod")
def create(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="mdrtpZ", long_with_value=("--mode", "--date", "--reference"))
    name = command_name(argv)
    env.add(Risk.WRITE, f"{name} creates files or directories", [env.target_of(w) for w in opts.operands])
    if name == "mknod":
        env.add(Risk.SYSTEM, "mknod creates device files")


@handles("tee")
def tee(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:])
    for word in opts.operands:
        note_write(env, "tee", word, append=opts.has("a", "--append"))


@handles("dd")
def dd(argv: list[Word], env: Env) -> None:
    for word in argv[1:]:
        key, eq, value = (word.value or "").partition("=")
        if key == "of" and eq:
            note_write(env, "dd", Word(word.text[3:], value, word.glob))
        elif word.value is None:
            env.add(Risk.UNKNOWN, f"dd gets an operand chosen at run time ({word.text})")


@handles("chmod", "chown", "chgrp", "chattr", "setfacl", "chcon")
def permissions(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    opts = parse_options(argv[1:], with_value="" if name != "setfacl" else "mxMX",
                         long_with_value=("--reference",))
    operands = opts.operands
    if "--reference" not in opts.values and name != "setfacl":
        operands = operands[1:]  # the mode / owner comes first
    what = "changes permissions" if name in ("chmod", "setfacl", "chattr") else "changes owners"
    note_change(env, name, operands, what)
    if opts.has("R", "--recursive"):
        for word in operands:
            resolved = env.resolve_word(word)
            if is_critical_tree(resolved, env.home):
                env.add(Risk.SYSTEM, f"{name} -R on {word.text} changes every file under {resolved}")

"""The shared rule for anything that writes a file: new file WRITE, existing file DESTRUCTIVE,
device SYSTEM, /dev/tcp NETWORK, startup files and system directories SYSTEM."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .paths import device_kind, sensitive_reason
from .words import Word, path_text


def note_write(env: Env, who: str, word: Word, *, append: bool = False) -> None:
    """`who` writes the file named by `word` ("> overwrites existing file notes.txt")."""
    path = path_text(word)
    if path is None:
        env.add(Risk.DESTRUCTIVE, f"{who} writes to a file chosen at run time ({word.text})", [word.text])
        return
    kind = device_kind(path)
    if kind == "harmless":
        return
    if kind == "network":
        env.add(Risk.NETWORK, f"{who} opens a network connection ({path})")
        return
    if kind == "device":
        env.add(Risk.SYSTEM, f"{who} writes to the device {path}", [path])
        return
    resolved = env.resolve(path)
    target = env.target_of(word)
    why = sensitive_reason(resolved, env.home)
    if why:
        env.add(Risk.SYSTEM, f"{who} writes to {word.text}: {why}", [target])
        return
    exists = env.exists(word)
    if append:
        env.add(Risk.WRITE, f"{who} appends to {word.text}", [target])
    elif exists is False:
        env.add(Risk.WRITE, f"{who} creates new file {word.text}", [target])
    elif exists:
        env.add(Risk.DESTRUCTIVE, f"{who} overwrites existing file {word.text}", [target])
    else:
        env.add(Risk.DESTRUCTIVE, f"{who} may overwrite {word.text}", [target])


def note_change(env: Env, who: str, words: list[Word], what: str, risk: Risk = Risk.DESTRUCTIVE) -> None:
    """`who` changes or removes existing files in place ("rm deletes files")."""
    targets = [env.target_of(w) for w in words]
    env.add(risk, f"{who} {what}", targets)
    for word in words:
        path = path_text(word)
        if path is not None and device_kind(path) == "device":
            env.add(Risk.SYSTEM, f"{who} acts on the device {path}", [path])
            continue
        why = sensitive_reason(env.resolve(path), env.home)
        if why:
            env.add(Risk.SYSTEM, f"{who} changes {word.text}: {why}", [env.target_of(word)])


def note_copy(env: Env, who: str, sources: list[Word], dest: Word, no_clobber: bool) -> None:
    """Copying or moving `sources` to `dest`: into it when it is a directory, else onto it."""
    exists = env.exists(dest)
    resolved = env.resolve_word(dest)
    is_dir = exists and resolved is not None and resolved.is_dir()
    if not is_dir:
        if no_clobber and exists is not True:
            env.add(Risk.WRITE, f"{who} creates {dest.text}", [env.target_of(dest)])
        else:
            note_write(env, who, dest)
        return
    for source in sources:
        base = (path_text(source) or "").rstrip("/").rsplit("/", 1)[-1]
        inside = Word(f"{dest.text.rstrip('/')}/{base}", f"{dest.value or ''}/{base}") if base else None
        if inside is None or source.glob or dest.value is None:
            env.add(Risk.DESTRUCTIVE, f"{who} may overwrite files in {dest.text}", [env.target_of(dest)])
        elif no_clobber:
            env.add(Risk.WRITE, f"{who} puts {source.text} into {dest.text}", [env.target_of(inside)])
        else:
            note_write(env, who, inside)

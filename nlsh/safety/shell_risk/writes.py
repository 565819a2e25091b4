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

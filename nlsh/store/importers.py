"""Reading bash, zsh and fish history files into the store.

bash: one command a line; with HISTTIMEFORMAT set, a `#1700000000` line gives the next one's time.
zsh:  extended format `: 1700000000:0;command` (a trailing backslash continues a multi-line command);
      plain lines are accepted too. zsh "metafies" non-ASCII bytes; they are restored here.
fish: `- cmd: command` followed by `  when: 1700000000` (and `paths:` lists, ignored).
Entries without a time get the file's modification time, a millisecond apart, in file order."""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from nlsh.store.redact import redact

SHELLS = ("bash", "zsh", "fish")


@dataclass(frozen=True)
class Entry:
    text: str
    when: float | None
    timed: bool = True  # False when the time was filled in from the file's modification time


def parse_bash(content: str) -> list[Entry]:
    entries, when = [], None
    for line in content.splitlines():
        stamp = re.fullmatch(r"#(\d{9,11})", line.strip())
        if stamp:
            when = float(stamp.group(1))
            continue
        if line.strip():
            entries.append(Entry(line, when))
        when = None
    return entries


def parse_zsh(content: str) -> list[Entry]:
    entries: list[Entry] = []
    pending: list[str] = []
    when: float | None = None
    for line in content.splitlines():
        if not pending:
            extended = re.match(r": *(\d+):\d+;(.*)", line, re.S)
            when, line = (float(extended.group(1)), extended.group(2)) if extended else (None, line)
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending.append(line[:-1])
            continue
        text = "\n".join(pending + [line])
        pending = []
        if text.strip():
            entries.append(Entry(text, when))
    if pending and "".join(pending).strip():
        entries.append(Entry("\n".join(pending), when))
    return entries


def _unmetafy(raw: bytes) -> bytes:
    """zsh writes bytes 0x83-0x9f etc. as 0x83 followed by the byte xor 32."""
    if b"\x83" not in raw:
        return raw
    out, meta = bytearray(), False
    for byte in raw:
        if meta:
            out.append(byte ^ 32)
            meta = False
        elif byte == 0x83:
            meta = True
        else:
            out.append(byte)
    return bytes(out)


def _fish_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def parse_fish(content: str) -> list[Entry]:
    entries: list[Entry] = []
    text: str | None = None
    when: float | None = None
    for line in content.splitlines():
        if line.startswith("- cmd:"):
            if text is not None:
                entries.append(Entry(text, when))
            text, when = _fish_unescape(line[len("- cmd:"):].strip()), None
        elif text is not None and line.strip().startswith("when:"):
            value = line.split(":", 1)[1].strip()
            when = float(value) if value.isdigit() else None
    if text is not None:
        entries.append(Entry(text, when))
    return [e for e in entries if e.text.strip()]


PARSERS = {"bash": parse_bash, "zsh": parse_zsh, "fish": parse_fish}


def default_file(shell: str, env: Mapping[str, str]) -> Path:
    home = Path(env.get("HOME") or Path.home())
    if shell == "fish":
        data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
        return data / "fish" / "fish_history"
    if shell == "zsh" and env.get("HISTFILE"):
        return Path(env["HISTFILE"]).expanduser()
    return home / (".zsh_history" if shell == "zsh" else ".bash_history")


def guess_shell(path: Path | None, env: Mapping[str, str]) -> str:
    """The file's name says it (fish_history, .zsh_history), else the login shell, else bash."""
    for shell in ("fish", "zsh", "bash"):
        if path is not None and shell in path.name:
            return shell
    login = Path(env.get("SHELL", "")).name
    return login if login in SHELLS else "bash"


def read_entries(path: Path, shell: str) -> list[Entry]:
    raw = path.read_bytes()
    if shell == "zsh":
        raw = _unmetafy(raw)
    entries = PARSERS[shell](raw.decode("utf-8", errors="replace"))
    fallback = os.stat(path).st_mtime
    count = len(entries)
    return [
        e if e.when is not None else Entry(e.text, round(fallback - (count - i) / 1000, 3), timed=False)
        for i, e in enumerate(entries)
    ]


def import_file(store, path: Path, shell: str) -> tuple[int, int]:
    """Add the file's commands to the store as imported requests; returns (added, skipped).
    Importing the same file again adds nothing: timed entries are matched by time and text,
    untimed ones (plain bash history) by text alone."""
    if shell not in SHELLS:
        raise ValueError(f"unknown shell {shell!r} (one of: {', '.join(SHELLS)})")
    entries = read_entries(path, shell)
    known = store.imported_keys()
    known_texts = {text for _, text in known}
    host = socket.gethostname()
    records, seen = [], set()
    for entry in entries:
        text = redact(entry.text)  # the store keeps redacted text, so compare like with like
        key = (round(entry.when * 1000), text) if entry.timed else text
        if key in seen or (key in known if entry.timed else text in known_texts):
            continue
        seen.add(key)
        records.append({
            "started": entry.when, "ended": entry.when, "text": text, "host": host, "mode": "import",
            "decision": "ran", "outcome": f"imported from {shell}",
        })
    added = store.add_many(records)
    return added, len(entries) - added


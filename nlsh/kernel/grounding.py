"""Grounding in this machine: where the files and directories a request names really are. A small
model writes `wc -l notes.txt` whether notes.txt is here or three directories down; told where it
is, it writes the path. Looked up under the current directory, briefly, before the model is asked."""

from __future__ import annotations

import os
import re
import time
from collections import deque
from pathlib import Path

SEARCH_SECONDS = 0.25
MAX_ENTRIES = 20000  # directory entries read at most
MAX_MATCHES = 3  # places shown for one name
# Below /, the system's own trees hold nothing a request means by a bare name, and are large.
SKIPPED_AT_ROOT = frozenset({"proc", "sys", "dev", "run", "usr", "lib", "lib32", "lib64", "libx32",
                             "bin", "sbin", "boot", "snap", "var", "etc", "opt", "srv", "mnt", "media"})
SKIPPED_ANYWHERE = frozenset({".git", "node_modules", "__pycache__", ".venv", ".cache"})
DIRECTORY_WORDS = frozenset({"directory", "folder", "dir"})  # "the build folder", "directory src"
FILE_WORDS = frozenset({"file"})  # "file notes" (never "python files": a kind, not a name)
DETERMINERS = frozenset({"the", "a", "my", "our", "your", "this", "that"})
_TOKEN = re.compile(r"[\w./~-]+")
_FILE_NAME = re.compile(r"^[\w.-]*[A-Za-z_][\w-]*\.[A-Za-z0-9]{1,8}$")  # notes.txt, .bashrc, a.tar.gz


def named_in(request: str) -> list[str]:
    """Names in the request that look like files or directories: `notes.txt`, `logs/app.log`, and
    the word beside "folder"/"directory"/"file" ("the build folder", "directory src")."""
    words = [w.strip(".,;:!?'\"`()") for w in request.split()]
    names: list[str] = []
    for i, word in enumerate(words):
        if not word or word.startswith(("-", "~", "$")) or "://" in word:
            continue
        looks_like_path = "/" in word and _TOKEN.fullmatch(word) and not word.startswith("/")
        before = words[i - 1].lower() if i > 0 else ""
        after = words[i + 1].lower() if i + 1 < len(words) else ""
        # "the build folder" (not "compress directory src", where the verb stands before it)
        named_before = after in DIRECTORY_WORDS and before in DETERMINERS
        beside_place = named_before or before in DIRECTORY_WORDS | FILE_WORDS
        plain = re.fullmatch(r"[\w.-]+", word) is not None
        if looks_like_path or (plain and _FILE_NAME.match(word)) or (
                plain and beside_place and len(word) > 1 and not word.isdigit()
                and not _is_common_word(word)):
            if word not in names:
                names.append(word)
    return names


def _is_common_word(word: str) -> bool:
    return word.lower() in {"the", "a", "an", "this", "that", "each", "every", "all", "any", "current",
                            "my", "your", "same", "new", "old", "one", "text", "log", "hidden", "empty",
                            "parent", "home", "root", "working", "given", "some", "those", "these", "of",
                            "in", "under", "inside", "from", "to", "into", "named", "called", "whole"}


def locate(names: list[str], cwd: Path, seconds: float = SEARCH_SECONDS) -> list[tuple[str, str]]:
    """(name, where) for each name that is not in the current directory but is found below it."""
    cwd = Path(cwd)
    wanted = {}
    for name in names:
        if not (cwd / name).exists():
            wanted[name.rstrip("/")] = []
    if not wanted:
        return []
    _walk(cwd, wanted, time.monotonic() + seconds)
    return [(name, ", ".join(_shown(Path(p), cwd) for p in found)) for name, found in wanted.items() if found]


def _walk(cwd: Path, wanted: dict[str, list[str]], deadline: float) -> None:
    """Breadth first, so the shallowest places are found first; stops at the deadline."""
    queue = deque([str(cwd)])
    read = 0
    while queue and read < MAX_ENTRIES and time.monotonic() < deadline:
        directory = queue.popleft()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    read += 1
                    path = entry.path
                    for name, found in wanted.items():
                        if len(found) < MAX_MATCHES and (entry.name == name or path.endswith("/" + name)):
                            found.append(path)
                    if entry.is_dir(follow_symlinks=False) and not _skipped(entry.name, directory, cwd):
                        queue.append(path)
        except OSError:
            continue


def _skipped(name: str, parent: str, cwd: Path) -> bool:
    return name in SKIPPED_ANYWHERE or (parent == "/" and str(cwd) == "/" and name in SKIPPED_AT_ROOT)


def _shown(path: Path, cwd: Path) -> str:
    """A path as the model should write it: relative below the current directory, absolute from /."""
    return str(path) if str(cwd) == "/" else os.path.relpath(path, cwd)

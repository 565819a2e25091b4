"""The undo journal. Every change a request makes to files is journaled before it happens: a deleted
path is moved into the journal's trash, an overwritten, modified or replaced path has its old bytes
kept, a created path is recorded as "did not exist". Right after each step, `settle()` records what
each path looks like then (its fingerprint) and drops what the step did not actually change (a write
the sandbox blocked creates nothing). `undo()` replays the journal backwards, and leaves alone, and
says so, any path that changed after the step, unless forced: the person's later work is theirs.

Layout (one directory per request that changed something, numbered in order):
    <data_dir>/undo/<seq>/manifest.json        request, time, entries, and when it was undone
    <data_dir>/undo/<seq>/files/<n>-<name>     trashed or kept copies (freedesktop-like)
    <data_dir>/undo/<seq>/info/<n>-<name>.trashinfo   original path and deletion time
    <data_dir>/undo/<seq>/replaced/<n>-<name>  what undo found in the way (never destroyed)
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import quote as url_quote

from nlsh import paths
from nlsh.safety.fingerprint import fingerprint, unchanged

KEEP_MAX_BYTES = 512 * 1024 * 1024  # a copy bigger than this is not kept (a shell step on ~ ...)
KEEP_MAX_ENTRIES = 50_000


class UndoError(Exception):
    """Undo cannot do what was asked; the message says why."""


class NothingToUndo(UndoError):
    pass


def undo_root() -> Path:
    return paths.data_dir() / "undo"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _absolute(path: str | os.PathLike[str]) -> str:
    # abspath, not resolve(): a symbolic link must be put back as the link, not as its target
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


def _shown(path: str) -> str:
    """A path for a message: relative when it is under the current directory."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _tree_too_big(path: str) -> str | None:
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        return None if st.st_size <= KEEP_MAX_BYTES else f"over {KEEP_MAX_BYTES:,} bytes"
    entries, total = 0, 0
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            entries += 1
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
        if entries > KEEP_MAX_ENTRIES:
            return f"over {KEEP_MAX_ENTRIES} entries"
        if total > KEEP_MAX_BYTES:
            return f"over {KEEP_MAX_BYTES:,} bytes"
    return None


def _copy(source: str, destination: str) -> None:
    """Copy a file, link or tree exactly: bytes, modes, times; links stay links."""
    st = os.lstat(source)
    if stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(source), destination)
    elif stat.S_ISDIR(st.st_mode):
        shutil.copytree(source, destination, symlinks=True)
    else:
        shutil.copy2(source, destination, follow_symlinks=False)


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)


def _move(source: str, destination: str) -> None:
    """Rename when on the same file system; otherwise copy then remove (shutil.move does both)."""
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    shutil.move(source, destination)


@dataclass
class Journal:
    request_id: int | None
    text: str
    seq: int | None = None  # assigned when the first change is recorded: read-only requests leave nothing
    created: str = field(default_factory=_now)
    undone: str | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)

    # --- opening and saving ------------------------------------------------------------------------

    @classmethod
    def open(cls, request_id: int | None, text: str) -> "Journal":
        return cls(request_id, text)

    @classmethod
    def load(cls, seq: int) -> "Journal":
        manifest = undo_root() / str(seq) / "manifest.json"
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UndoError(f"there is no change number {seq} in the undo journal (see nlsh undo --list)") from None
        return cls(data.get("request_id"), data.get("text", ""), seq, data.get("created", ""),
                   data.get("undone"), data.get("entries", []))

    @property
    def directory(self) -> Path:
        if self.seq is None:
            self._allocate()
        return undo_root() / str(self.seq)

    def _allocate(self) -> None:
        root = undo_root()
        root.mkdir(parents=True, exist_ok=True)
        while True:
            taken = [int(p.name) for p in root.iterdir() if p.name.isdigit()]
            seq = max(taken, default=0) + 1
            try:
                (root / str(seq)).mkdir()  # atomic: two requests at once get different numbers
            except FileExistsError:
                continue
            self.seq = seq
            return

    def _save(self) -> None:
        data = {"seq": self.seq, "request_id": self.request_id, "text": self.text,
                "created": self.created, "undone": self.undone, "entries": self.entries}
        manifest = self.directory / "manifest.json"
        partial = manifest.with_suffix(".partial")
        partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, manifest)  # a crash never leaves half a manifest

    def _slot(self, folder: str, path: str) -> str:
        """A fresh name inside the journal for a copy of PATH; returned relative to the journal."""
        name = f"{len(self.entries)}-{os.path.basename(path) or 'root'}"
        (self.directory / folder).mkdir(parents=True, exist_ok=True)
        return f"{folder}/{name}"

    def _record(self, **entry: Any) -> None:
        self.entries.append({"time": _now(), **entry})
        self._save()

    # --- recording changes (called by tools just before they change something) -------------------

    def trash(self, path: str | os.PathLike[str]) -> None:
        """Delete PATH by moving it into the journal's trash."""
        path = _absolute(path)
        saved = self._slot("files", path)
        info = self.directory / "info" / (Path(saved).name + ".trashinfo")
        info.parent.mkdir(exist_ok=True)
        info.write_text(f"[Trash Info]\nPath={url_quote(path)}\nDeletionDate={_now()[:19]}\n", encoding="utf-8")
        _move(path, str(self.directory / saved))
        self._record(op="trash", path=path, saved=saved, after=None)  # done here: the path is gone now

    def keep(self, path: str | os.PathLike[str]) -> bool:
        """Remember PATH as it is now: a copy of its bytes (file, link or tree), or the fact that it
        does not exist, so that undo removes what gets created. False when it was too big to keep."""
        path = _absolute(path)
        before = fingerprint(path)
        if before is None:
            self._record(op="keep", path=path, existed=False, before=None)
            return True
        mode = os.lstat(path).st_mode
        if stat.S_ISDIR(mode) or stat.S_ISREG(mode) or stat.S_ISLNK(mode):
            too_big = _tree_too_big(path)
        else:
            too_big = "not a regular file"  # a device, socket or fifo: its bytes are not ours to copy
        if too_big:
            self._record(op="keep", path=path, existed=True, saved=None, skipped=too_big, before=before)
            return False
        saved = self._slot("files", path)
        _copy(path, str(self.directory / saved))
        self._record(op="keep", path=path, existed=True, saved=saved, before=before)
        return True

    def moved(self, source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        """SOURCE was renamed to TARGET (what was at TARGET before must already be trashed or kept)."""
        target = _absolute(target)
        self._record(op="moved", path=_absolute(source), to=target, after=fingerprint(target))

    def snapshot(self, paths: Iterable[str | os.PathLike[str]]) -> list[str]:
        """Keep each path a shell step may change; returns the ones that could not be kept."""
        missed = []
        kept_this_step = {e["path"] for e in self.entries if "after" not in e}
        for p in paths:
            if str(p).startswith("/dev/") or str(p).startswith("/proc/") or _absolute(p) in kept_this_step:
                continue
            kept_this_step.add(_absolute(p))
            if not self.keep(p):
                missed.append(str(p))
        return missed

    def settle(self) -> None:
        """Called right after every step: record what each path kept before it looks like now, so undo
        can tell the person's later changes from the step's, and forget paths the step never changed
        (it failed, the sandbox blocked it, or it wrote the same bytes): undo must not remove a file
        the step did not create. (Trash and move entries record their state as they happen.)"""
        fresh = [e for e in self.entries if "after" not in e]
        if not fresh:
            return
        for entry in fresh:
            entry["after"] = fingerprint(entry["path"])
        untouched = [e for e in fresh if e["op"] == "keep" and "before" in e and unchanged(e["before"], e["after"])]
        for entry in untouched:
            if entry.get("saved"):
                _remove(str(self.directory / entry["saved"]))
        self.entries = [e for e in self.entries if not any(e is u for u in untouched)]
        self._save()

    # --- undoing -----------------------------------------------------------------------------------

    @staticmethod
    def changed_since(entry: dict[str, Any]) -> bool:
        """The entry's path (for a move, where it went) is no longer as the step left it."""
        if "after" not in entry:
            return False  # journaled before nlsh recorded how steps left paths: nothing to compare
        now = fingerprint(entry["to"] if entry["op"] == "moved" else entry["path"])
        return not unchanged(entry["after"], now)

    def _out_of_the_way(self, index: int, path: str) -> str | None:
        """Whatever is at PATH now goes to replaced/ (undo never destroys anything either); returns
        where it went."""
        if not os.path.lexists(path):
            return None
        saved = str(self.directory / "replaced" / f"{index}-{os.path.basename(path) or 'root'}")
        _move(path, saved)
        return saved

    def _revert(self, index: int, entry: dict[str, Any], force: bool) -> str:
        path, op = entry["path"], entry["op"]
        if not force and self.changed_since(entry):
            where = _shown(entry["to"] if op == "moved" else path)
            return (f"left {where} alone: it changed after change {self.seq} was made "
                    f"(nlsh undo --force {self.seq} undoes it anyway, keeping what is there now)")
        entry["undone"] = _now()
        if op == "moved":
            if not os.path.lexists(entry["to"]):
                return f"could not move {_shown(entry['to'])} back to {_shown(path)}: it is gone"
            line = f"moved {_shown(entry['to'])} back to {_shown(path)}"
            in_the_way = self._out_of_the_way(index, path)
            _move(entry["to"], path)
        elif op == "keep" and not entry.get("existed"):
            if not os.path.lexists(path):
                return f"{_shown(path)} was created, and is already gone"
            return f"removed {_shown(path)} (it did not exist before); it is kept in {self._out_of_the_way(index, path)}"
        elif not entry.get("saved"):
            return f"could not restore {_shown(path)}: no copy was kept ({entry.get('skipped', 'unknown')})"
        else:
            line = f"restored {_shown(path)}" + (" (deleted)" if op == "trash" else " as it was before")
            in_the_way = self._out_of_the_way(index, path)
            _move(str(self.directory / entry["saved"]), path)
        return line + (f"; what was there is kept in {in_the_way}" if in_the_way else "")

    def undo(self, force: bool = False) -> list[str]:
        """Revert every entry not yet undone, newest first; FORCE reverts paths changed since too."""
        if not self.entries:
            raise NothingToUndo("nothing to undo")
        pending = [i for i, entry in enumerate(self.entries) if not entry.get("undone")]
        if self.undone or not pending:
            raise NothingToUndo(f"nothing to undo: change {self.seq} was already undone ({self.undone})")
        lines = []
        for index in reversed(pending):
            entry = self.entries[index]
            try:
                lines.append(self._revert(index, entry, force))
            except OSError as exc:
                entry.pop("undone", None)
                lines.append(f"failed to restore {_shown(entry['path'])}: {exc.strerror or exc}")
        if all(entry.get("undone") for entry in self.entries):
            self.undone = _now()
        self._save()
        return lines


def _journals() -> Iterator[Journal]:
    """Every journal that recorded a change, oldest first."""
    root = undo_root()
    if not root.is_dir():
        return
    for seq in sorted(int(p.name) for p in root.iterdir() if p.name.isdigit()):
        try:
            j = Journal.load(seq)
        except (UndoError, ValueError):
            continue  # a directory without a readable manifest (a crash while allocating)
        if j.entries:
            yield j


def deleted_by(entry: dict[str, Any]) -> bool:
    """The entry deleted its path: trashed by a tool, or kept before a shell step and gone now."""
    return entry["op"] == "trash" or (entry["op"] == "keep" and bool(entry.get("existed"))
                                      and not os.path.lexists(entry["path"]))


def was_deleted(path: str | os.PathLike[str]) -> bool:
    """A change not yet undone deleted PATH ("restore victim" then means the undo journal)."""
    path = _absolute(path)
    return any(e["path"] == path and not e.get("undone") and deleted_by(e) for j in _journals() for e in j.entries)


def list_journals() -> list[dict[str, Any]]:
    """Every request that changed files, oldest first."""
    return [{"number": j.seq, "request": j.request_id, "time": j.created, "text": j.text,
             "changes": len(j.entries), "undone": j.undone, "pending": sum(1 for e in j.entries if not e.get("undone"))}
            for j in _journals()]


def undo(which: int | None = None, force: bool = False) -> list[str]:
    """Put back what request number WHICH (by default the last one that changed files) changed;
    returns one line per change. FORCE also undoes paths changed since (what is there is kept)."""
    if which is None:
        journals = list_journals()
        if not journals:
            raise NothingToUndo("nothing to undo")
        which = journals[-1]["number"]
    return Journal.load(which).undo(force)

"""File tools that change things: write, make a directory, copy, move, delete. Each one journals what
it is about to change (ctx.journal) so `nlsh undo` can put it back, and declares its risk from its
arguments: writing onto an existing file is destructive, creating a new one is not."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from nlsh.safety.risk import Assessment, Risk
from nlsh.tools._fsutil import (
    existing,
    friendly_errors,
    human_size,
    landing_place,
    plural,
    qpath,
    quote,
    row,
    tree_size,
)
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.registry import tool


def _describe(path: Path, shown: str) -> str:
    """'notes.txt (120 B)' or 'directory build (34 files and directories, 1.2 MB)' for previews."""
    entries, size, complete = tree_size(path)
    if not path.is_dir() or path.is_symlink():
        return f"{shown} ({human_size(size)})"
    more = "" if complete else " or more"
    return f"directory {shown} ({plural(entries, 'entry', 'entries')}{more}, {human_size(size)})"


def _inside(path: Path, parent: Path) -> bool:
    path, parent = Path(os.path.abspath(path)), Path(os.path.abspath(parent))
    return path == parent or parent in path.parents


def _clear_landing(ctx: ToolContext, source: Path, landing: Path, merge: bool) -> None:
    """Check that SOURCE may land on LANDING the way cp -a (merge) or mv (no merge) would allow."""
    if os.path.abspath(source) == os.path.abspath(landing):
        raise ToolError(f"{source.name}: source and destination are the same file")
    if source.is_dir() and not source.is_symlink() and _inside(landing, source):
        raise ToolError(f"cannot put directory {source.name} inside itself")
    if not os.path.lexists(landing):
        if not landing.parent.is_dir():
            raise ToolError(f"no such directory: {landing.parent}")
        return
    source_is_dir = source.is_dir() and not source.is_symlink()
    landing_is_dir = landing.is_dir() and not landing.is_symlink()
    if source_is_dir and not landing_is_dir:
        raise ToolError(f"cannot overwrite non-directory {landing} with directory {source.name}")
    if landing_is_dir and not source_is_dir:
        raise ToolError(f"cannot overwrite directory {landing} with non-directory {source.name}")
    if landing_is_dir and not merge and any(landing.iterdir()):
        raise ToolError(f"cannot move {source.name} onto {landing}: that directory is not empty")


def _result(ctx: ToolContext, path: Path, action: str) -> dict[str, Any]:
    return row(path, ctx.cwd) | {"action": action}


# --- write_file -----------------------------------------------------------------------------------


def _write_assess(a: dict[str, Any], ctx: ToolContext) -> Assessment:
    target = ctx.resolve(a["path"])
    if target.is_file() and not a.get("append"):
        return Assessment(Risk.DESTRUCTIVE, (f"overwrites existing file {_describe(target, a['path'])}",), (str(target),))
    verb = "appends to" if target.is_file() else "creates"
    return Assessment(Risk.WRITE, (f"{verb} {a['path']}",), (str(target),))


@tool(
    Risk.WRITE,
    shell=lambda a: f"printf %s {quote(a['content'])} {'>>' if a.get('append') else '>'} {qpath(a['path'])}",
    assess=_write_assess,
)
@friendly_errors
def write_file(ctx: ToolContext, path: str, content: str, append: bool = False) -> dict[str, Any]:
    """Write text to a file (created if new, replaced if it exists); `append` adds it at the end."""
    target = ctx.resolve(path)
    if target.is_dir():
        raise ToolError(f"{path} is a directory")
    if not target.parent.is_dir():
        raise ToolError(f"no such directory: {target.parent} (make it first with make_directory)")
    action = "appended" if append and target.exists() else "overwrote" if target.exists() else "created"
    if ctx.journal is not None:
        ctx.journal.keep(os.path.realpath(target))  # through a link, the bytes that change are the target's
    with open(target, "ab" if append else "wb") as f:
        f.write(content.encode("utf-8"))
    return _result(ctx, target, action)


# --- make_directory -------------------------------------------------------------------------------


def _mkdir_assess(a: dict[str, Any], ctx: ToolContext) -> Assessment:
    return Assessment(Risk.WRITE, (f"makes the directory {a['path']}",), (str(ctx.resolve(a["path"])),))


@tool(Risk.WRITE, shell=lambda a: f"mkdir -p {qpath(a['path'])}", assess=_mkdir_assess)
@friendly_errors
def make_directory(ctx: ToolContext, path: str) -> dict[str, Any]:
    """Make a directory, and its parents when they are missing."""
    target = ctx.resolve(path)
    if target.is_dir():
        return _result(ctx, target, "already there")
    if os.path.lexists(target):
        raise ToolError(f"{path} exists and is not a directory")
    topmost_missing = target
    while not os.path.lexists(topmost_missing.parent) and topmost_missing.parent != topmost_missing:
        topmost_missing = topmost_missing.parent
    if ctx.journal is not None:
        ctx.journal.keep(topmost_missing)  # undo removes the highest directory this created
    target.mkdir(parents=True)
    return _result(ctx, target, "created")


# --- copy -----------------------------------------------------------------------------------------


def _copy_assess(a: dict[str, Any], ctx: ToolContext) -> Assessment:
    source = ctx.resolve(a["source"])
    landing = landing_place(source, ctx.resolve(a["destination"]))
    if os.path.lexists(landing):
        what = "merges into" if landing.is_dir() else "overwrites"
        return Assessment(Risk.DESTRUCTIVE, (f"{what} existing {_describe(landing, str(landing))}",), (str(landing),))
    return Assessment(Risk.WRITE, (f"creates {landing}",), (str(landing),))


@tool(
    Risk.WRITE,
    shell=lambda a: f"cp -a {qpath(a['source'])} {qpath(a['destination'])}",
    assess=_copy_assess,
)
@friendly_errors
def copy(ctx: ToolContext, source: str, destination: str) -> dict[str, Any]:
    """Copy a file or a directory tree (keeping modes and times). Into `destination` when that is an
    existing directory; files of the same name there are overwritten."""
    src = existing(ctx, source)
    landing = landing_place(src, ctx.resolve(destination))
    _clear_landing(ctx, src, landing, merge=True)
    action = "overwrote" if os.path.lexists(landing) else "created"
    if ctx.journal is not None:
        ctx.journal.keep(landing)
    _copy_merging(src, landing)
    return _result(ctx, landing, action)


def _copy_merging(source: Path, target: Path) -> None:
    """cp -a: copy bytes, modes, times and links as links; a directory merges into an existing one,
    a file or link replaces what is there (shutil.copytree cannot replace an existing link)."""
    if source.is_dir() and not source.is_symlink():
        if os.path.lexists(target) and not (target.is_dir() and not target.is_symlink()):
            raise ToolError(f"cannot overwrite non-directory {target} with directory {source.name}")
        target.mkdir(exist_ok=True)
        with os.scandir(source) as entries:
            for entry in entries:
                _copy_merging(Path(entry.path), target / entry.name)
        shutil.copystat(source, target, follow_symlinks=False)
        return
    if target.is_dir() and not target.is_symlink():
        raise ToolError(f"cannot overwrite directory {target} with non-directory {source.name}")
    if os.path.lexists(target) and (target.is_symlink() or source.is_symlink()):
        target.unlink()  # a link is replaced, never written through
    shutil.copy2(source, target, follow_symlinks=False)


# --- move -----------------------------------------------------------------------------------------


def _move_assess(a: dict[str, Any], ctx: ToolContext) -> Assessment:
    source = ctx.resolve(a["source"])
    landing = landing_place(source, ctx.resolve(a["destination"]))
    reasons = [f"moves {a['source']} to {landing}"]
    if os.path.lexists(landing):
        reasons.append(f"replaces existing {_describe(landing, str(landing))}")
    return Assessment(Risk.DESTRUCTIVE, tuple(reasons), (str(source), str(landing)))


@tool(
    Risk.DESTRUCTIVE,
    shell=lambda a: f"mv {qpath(a['source'])} {qpath(a['destination'])}",
    assess=_move_assess,
)
@friendly_errors
def move(ctx: ToolContext, source: str, destination: str) -> dict[str, Any]:
    """Move or rename a file or directory. Into `destination` when that is an existing directory;
    a file of the same name there is replaced."""
    src = existing(ctx, source)
    landing = landing_place(src, ctx.resolve(destination))
    _clear_landing(ctx, src, landing, merge=False)
    replaced = os.path.lexists(landing)
    if replaced:
        if ctx.journal is not None:
            ctx.journal.trash(landing)  # the replaced file goes to the trash, not to nowhere
        elif landing.is_dir() and not landing.is_symlink():
            landing.rmdir()  # an empty directory, checked above
    shutil.move(str(src), str(landing))
    if ctx.journal is not None:
        ctx.journal.moved(src, landing)
    return _result(ctx, landing, "replaced" if replaced else "moved")


# --- delete ---------------------------------------------------------------------------------------


def _protected(target: Path, ctx: ToolContext) -> str | None:
    """Paths rm itself refuses (/, ., ..) and the ones nobody means: home, the cwd and above it."""
    target = Path(os.path.abspath(target))
    if target == Path("/"):
        return "the root directory"
    if target == Path(os.path.abspath(Path.home())):
        return "your home directory"
    if _inside(ctx.cwd, target):
        return "the current directory or one above it"
    return None


def _delete_assess(a: dict[str, Any], ctx: ToolContext) -> Assessment:
    target = ctx.resolve(a["path"])
    if not os.path.lexists(target):
        return Assessment(Risk.DESTRUCTIVE, (f"{a['path']} does not exist",), (str(target),))
    return Assessment(Risk.DESTRUCTIVE, (f"deletes {_describe(target, a['path'])}",), (str(target),))


@tool(
    Risk.DESTRUCTIVE,
    shell=lambda a: f"rm {'-r ' if a.get('recursive') else ''}{qpath(a['path'])}",
    assess=_delete_assess,
)
@friendly_errors
def delete(ctx: ToolContext, path: str, recursive: bool = False) -> dict[str, Any]:
    """Delete a file, or a directory with everything in it when `recursive` is true. With undo on
    (the default) it goes to nlsh's trash and `nlsh undo` brings it back."""
    target = existing(ctx, path)
    refused = _protected(target, ctx)
    if refused:
        raise ToolError(f"refusing to delete {path}: it is {refused}")
    is_dir = target.is_dir() and not target.is_symlink()
    if is_dir and not recursive:
        raise ToolError(f"{path} is a directory: deleting it needs recursive=true")
    gone = row(target, ctx.cwd)
    gone["entries"], gone["size"], _ = tree_size(target)
    if ctx.journal is not None:
        ctx.journal.trash(target)
        return gone | {"action": "moved to the trash (nlsh undo)"}
    if is_dir:
        shutil.rmtree(target)
    else:
        target.unlink()
    return gone | {"action": "deleted"}


TOOLS = [write_file, make_directory, copy, move, delete]

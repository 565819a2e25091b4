"""History tools: what the person asked before, what ran, and how it ended.

Time expressions ("last week", "yesterday 3pm") are resolved here by nlsh.timeparse, so the model
passes the person's words through instead of guessing a date."""

from __future__ import annotations

import os
import shlex
from datetime import datetime
from typing import Any

from nlsh.safety.risk import Risk
from nlsh.tools.context import Result, ToolContext, ToolError
from nlsh.tools.registry import tool


def _store(ctx: ToolContext) -> Any:
    if ctx.store is None:
        raise ToolError("history is off")
    return ctx.store


def render_search(args: dict[str, Any]) -> str:
    """The `nlsh history ...` command line that lists the same thing."""
    from nlsh.history_cli import DEFAULT_LIMIT, SUBCOMMANDS

    parts = ["nlsh", "history"]
    for option in ("when", "cwd"):
        if args.get(option):
            parts += [f"--{option}", shlex.quote(str(args[option]))]
    if args.get("failed"):
        parts.append("--failed")
    limit = args.get("limit", 20)
    if limit != DEFAULT_LIMIT:
        parts += ["--limit", shlex.quote(str(limit))]
    query = (args.get("query") or "").strip()
    if query:
        # a query that looks like an option or a subcommand goes after `--`
        if query.startswith("-") or query.split()[0] in SUBCOMMANDS:
            parts.append("--")
        parts.append(shlex.quote(query))
    return " ".join(parts)


def _compact(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": entry["id"],
        "time": entry["time"],
        "request": entry["text"],
        "cwd": entry["cwd"],
        "decision": entry["decision"],
        "exit_code": entry["exit_code"],
        "commands": "; ".join(entry["commands"]),
        "files": entry["files"],
    }


@tool(Risk.READ, shell=render_search)
def search_history(
    ctx: ToolContext,
    query: str = "",
    when: str = "",
    cwd: str = "",
    failed: bool = False,
    limit: int = 20,
) -> Result:
    """Search past requests and the commands they ran, newest first.

    query: words to find in the request or its commands (empty for everything).
    when: the person's own time words, e.g. "last week", "yesterday 3pm", "2 hours ago", "on Monday".
    cwd: only requests made in this directory or below it. failed: only requests that failed."""
    since = until = None
    if when.strip():
        from nlsh.timeparse import parse_when

        try:
            since, until = parse_when(when, datetime.now())
        except ValueError as exc:
            raise ToolError(str(exc)) from None
    from nlsh.store.history import StoreError

    directory = os.path.normpath(ctx.resolve(cwd)) if cwd else None
    try:
        found = _store(ctx).search(
            query or None, since=since, until=until, cwd=directory, failed=failed, limit=max(1, min(limit, 200))
        )
    except StoreError as exc:
        raise ToolError(str(exc)) from None
    return Result(rows=[_compact(e) for e in found])


@tool(Risk.READ, shell=lambda args: f"nlsh history show {int(args['id'])}")
def show_history_entry(ctx: ToolContext, id: int) -> Result:
    """One past request in full: its plan, each step's command, exit code, files and output excerpt.
    Use the id from search_history."""
    from nlsh.store.history import StoreError

    try:
        entry = _store(ctx).get(id)
    except StoreError as exc:
        raise ToolError(str(exc)) from None
    if entry is None:
        raise ToolError(f"no history entry {id}")
    commands = [s["command"] or s["tool"] for s in entry["steps"]]
    files = list(dict.fromkeys(f for s in entry["steps"] for f in s["files"]))
    row = _compact({**entry, "commands": commands, "files": files})
    return Result(rows=[{**row, "plan": entry["plan_json"], "steps": entry["steps"]}])


TOOLS = [search_history, show_history_entry]

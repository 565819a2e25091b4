"""`nlsh config`: the effective settings and where each came from; `nlsh config path`: the file.

Global flags (--model, --api-base, ...) reach this command through the root context: the main callback
may put them in `ctx.obj["config_overrides"]` (a dict as `load_config` takes it).
"""

from __future__ import annotations

import json
from typing import Any

import typer

from nlsh.exitcodes import ExitCode


def _overrides(ctx: typer.Context) -> dict | None:
    obj = ctx.find_root().obj
    if isinstance(obj, dict):
        return obj.get("config_overrides")
    return getattr(obj, "config_overrides", None)


def _shown(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False) if value else "(none)"
    return str(value)


def render_text(config: Any, config_path: str, exists: bool) -> str:
    lines = [f"config file: {config_path}" + ("" if exists else " (not created yet)")]
    rows = [(key, _shown(value), config.sources[key]) for key, value in config.to_dict().items()]
    key_width = max(len(r[0]) for r in rows)
    value_width = min(48, max(len(r[1]) for r in rows))
    lines += [f"{k:<{key_width}}  {v:<{value_width}}  {s}" for k, v, s in rows]
    return "\n".join(lines)


def render_json(config: Any, config_path: str, exists: bool) -> str:
    settings = {key: {"value": value, "source": config.sources[key]} for key, value in config.to_dict().items()}
    return json.dumps({"config_file": config_path, "exists": exists, "settings": settings}, indent=2, ensure_ascii=False)


def register(app: typer.Typer) -> None:
    config_app = typer.Typer(
        help="Show the effective settings and where each came from.",
        invoke_without_command=True,
        add_completion=False,
    )

    @config_app.callback()
    def show(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help="Print the settings as JSON."),
    ) -> None:
        """Show the effective settings and where each came from (default, file, env, flag)."""
        if ctx.invoked_subcommand:
            return
        from nlsh import paths
        from nlsh.config import ConfigError, load_config

        try:
            config = load_config(overrides=_overrides(ctx))
        except ConfigError as exc:
            typer.echo(f"nlsh: {exc}", err=True)
            raise typer.Exit(ExitCode.USAGE) from None
        path = paths.config_file()
        render = render_json if as_json else render_text
        typer.echo(render(config, str(path), path.is_file()))

    @config_app.command("path")
    def path() -> None:
        """Print where the config file lives (it may not exist yet)."""
        from nlsh import paths

        typer.echo(str(paths.config_file()))

    app.add_typer(config_app, name="config")

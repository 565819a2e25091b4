"""`nlsh model list` and `nlsh model pull NAME`. Kept apart from cli.py; nothing heavy at import."""

from __future__ import annotations

import typer

from nlsh.exitcodes import ExitCode


def _status(model) -> tuple[str, str]:
    from nlsh.models.gguf_store import cached_path, installed_path, part_paths

    path = installed_path(model)
    if path is not None:
        return "installed", str(path)
    if model.assembled_from_parts and part_paths(model):
        return "parts installed (assembled on first use)", str(cached_path(model))
    return "not installed", model.pip_hint


def list_models() -> None:
    """Show the models nlsh knows: sizes, whether they are installed, and where."""
    from rich.console import Console
    from rich.table import Table

    from nlsh.models.catalog import CATALOG, DEFAULT_LOCAL

    table = Table("name", "size", "status", "path / how to get it", "about")
    for model in CATALOG.values():
        status, where = _status(model)
        name = model.name + (" (default)" if model.name == DEFAULT_LOCAL else "")
        table.add_row(name, f"{model.size / 1e6:,.0f} MB", status, where, model.description)
    Console().print(table)


def pull_model(name: str = typer.Argument(..., help="a known model name (see `nlsh model list`)")) -> None:
    """Download a known model from the Hugging Face hub into nlsh's model cache."""
    from rich.console import Console

    from nlsh.models.base import ModelError
    from nlsh.models.catalog import CATALOG, known
    from nlsh.models.gguf_store import cached_path
    from nlsh.models.hf_pull import pull

    err = Console(stderr=True)
    model = known(name)
    if model is None:
        err.print(f"nlsh: unknown model {name!r}; known: {', '.join(CATALOG)}")
        raise typer.Exit(ExitCode.USAGE)
    if cached_path(model).is_file():
        Console().print(f"{model.name} is already in {cached_path(model)}")
        return
    try:
        path = pull(model)
    except ModelError as exc:
        err.print(f"nlsh: {exc}", markup=False, highlight=False)
        raise typer.Exit(ExitCode.NO_MODEL) from None
    Console().print(f"{model.name} saved to {path}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Local models: list what is known and installed, download one.",
                        no_args_is_help=True)
    group.command("list")(list_models)
    group.command("pull")(pull_model)
    app.add_typer(group, name="model")

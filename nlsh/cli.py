"""The `nlsh` command. Thin: parses the command line, picks a mode, hands the request to a Session.

Words that are not a subcommand form a request, so `nlsh show the biggest files` needs no quotes;
`nlsh -- tools I have` makes a request of words that start like a subcommand. Heavy imports (models,
rich tables) happen only on the paths that need them, so `nlsh --help` stays fast."""

from __future__ import annotations

import sys
from typing import List, Optional

import typer

from nlsh import __version__
from nlsh.exitcodes import ExitCode

app = typer.Typer(add_completion=False, no_args_is_help=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})

SUBCOMMANDS_HELP = """\b
Commands (nlsh COMMAND --help for each):
  tools     the tool table the model plans with
  history   list, search and import past requests
  undo      put back what a request changed
  model     list and fetch local models
  config    show the effective settings and where each came from
  init      shell integration: eval "$(nlsh init bash)" (or zsh; fish: nlsh init fish | source)
  version   print the version

\b
Exit codes: 0 done, 1 a step failed, 2 usage, 3 refused, 4 no model, 5 no valid plan, 130 Ctrl-C."""


# Options end where the request begins: in `nlsh ls -la` or `nlsh git commit -m wip` the options
# belong to the command line, not to nlsh (nlsh's own options go first).
@app.command("run", hidden=True, epilog=SUBCOMMANDS_HELP,
             context_settings={"help_option_names": ["-h", "--help"], "allow_interspersed_args": False})
def run(
    request: Optional[List[str]] = typer.Argument(None, metavar="REQUEST", show_default=False, help="What you want done, in English. No request and a terminal: the REPL."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Run steps above read-only without asking (not steps after the model read outside content)."),
    allow: List[str] = typer.Option([], "--allow", metavar="CLASSES", help="Allow these risk classes without asking, e.g. write,network (never system or unknown)."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Show the plan, run nothing."),
    print_only: bool = typer.Option(False, "--print", "-p", help="Print the plan as shell command lines, run nothing."),
    as_json: bool = typer.Option(False, "--json", help="Results (or, with --dry-run, the plan) as JSON."),
    model: Optional[str] = typer.Option(None, "--model", "-m", metavar="NAME", help="Model: a known local name, PATH.gguf, a litellm name, or scripted:PATH."),
    api_base: Optional[str] = typer.Option(None, "--api-base", metavar="URL", help="Base URL of an OpenAI-compatible server."),
    no_history: bool = typer.Option(False, "--no-history", help="Do not record this request, and do not use remembered plans."),
    fresh: bool = typer.Option(False, "--fresh", help="Ask the model even if a plan for this request is remembered."),
    sandbox: bool = typer.Option(False, "--sandbox", help="Run shell steps under bubblewrap: no network, writable only the current directory."),
    fast: bool = typer.Option(False, "--fast", help="Plan with the model alone: no option check, retrieved examples, file lookup or trial run (the `levers` setting)."),
) -> None:
    """nlsh: a shell where English replaces commands.

    \b
    nlsh "show the five biggest files here"    one request
    cat app.log | nlsh "count errors per hour"  a pipeline stage
    nlsh                                         the interactive shell
    """
    from nlsh.modes import run_cli

    raise typer.Exit(int(run_cli(
        words=request or [], yes=yes, allow=allow, dry_run=dry_run, print_only=print_only, as_json=as_json,
        model=model, api_base=api_base, no_history=no_history, fresh=fresh, sandbox=sandbox, fast=fast,
    )))


@app.command("tools")
def tools_command(as_json: bool = typer.Option(False, "--json", help="The table as JSON: name, description, parameters, risk.")) -> None:
    """Show the tool table the model plans with."""
    import json

    from nlsh.tools.registry import load_registry

    specs = load_registry().specs()
    if as_json:
        print(json.dumps([s.__dict__ for s in specs], indent=2))
        return
    from nlsh.ui.render import write_result
    from nlsh.tools.context import Result

    rows = [{"tool": s.name, "risk": s.risk, "description": s.description} for s in specs]
    write_result(Result(rows=rows), sys.stdout, as_json=False, terminal=sys.stdout.isatty())


@app.command("version")
def version_command() -> None:
    """Print the version."""
    print(f"nlsh {__version__}")


def _register_subcommands() -> None:
    from nlsh import config_cli, history_cli, model_cli, shell_init, undo_cli

    for module in (history_cli, undo_cli, model_cli, config_cli, shell_init):
        module.register(app)


_register_subcommands()
SUBCOMMANDS = {"tools", "version", "history", "undo", "model", "config", "init", "to-command"}


def main() -> None:
    argv = sys.argv[1:]
    try:
        if argv and argv[0] in SUBCOMMANDS:
            app(args=argv, prog_name="nlsh")
        else:  # the request command itself, so its usage line reads `nlsh [OPTIONS] REQUEST...`
            typer.main.get_command(app).commands["run"].main(args=argv, prog_name="nlsh")
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader downstream stopped early (`nlsh ... | head`): its choice, not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.OK)

"""`nlsh init bash|zsh|fish`: the snippet a shell's rc file evaluates. It binds a key (Alt-E unless
--key says otherwise) that turns the English on the command line into the planned command, defines
an `nlsh` function whose requests can cd and export in the person's shell (nlsh.shell_state), and
completes nlsh's subcommands and options. The completions are generated from the command-line
definition itself, so they cannot drift from it."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import typer

from nlsh.exitcodes import ExitCode
from nlsh.shell_state import SHELLS

DEFAULT_KEY = "alt-e"
_KEY = re.compile(r"(alt|ctrl)-(.)\Z", re.I)


def key_codes(key: str) -> dict[str, str]:
    """`alt-e` or `ctrl-g` in each shell's own notation; ValueError for anything else."""
    match = _KEY.match(key.strip())
    if not match or not (match.group(2).isalnum() or match.group(1).lower() == "alt"):
        raise ValueError(f"--key {key!r}: give alt-LETTER or ctrl-LETTER, e.g. alt-e or ctrl-g")
    modifier, char = match.group(1).lower(), match.group(2)
    if modifier == "alt":
        return {"bash": "\\e" + char, "zsh": "^[" + char, "fish": "\\e" + char}
    char = char.lower()
    return {"bash": "\\C-" + char, "zsh": "^" + char.upper(), "fish": "\\c" + char}


def _options(command: Any) -> list[tuple[str, str]]:
    """(option, help) of a click command and of its subcommands."""
    found = []
    for param in command.params:
        if param.param_type_name == "option":
            found += [(o, param.help or "") for o in param.opts + param.secondary_opts]
    for sub in getattr(command, "commands", {}).values():
        found += _options(sub)
    return list({option: help for option, help in found}.items())


def command_table() -> tuple[list[tuple[str, str, list[str], list[tuple[str, str]]]], list[tuple[str, str]]]:
    """([(subcommand, help, its subcommands, its options)], the options of a request)."""
    from typer.main import get_command

    from nlsh.cli import app

    group = get_command(app)
    subcommands = []
    for name, command in group.commands.items():
        if command.hidden:
            continue
        summary = (command.help or "").strip().splitlines()[0] if command.help else ""
        children = [n for n, c in getattr(command, "commands", {}).items() if not c.hidden]
        subcommands.append((name, summary, children, _options(command)))
    return subcommands, _options(group.commands["run"])


def _completions(shell: str) -> str:
    subcommands, request_options = command_table()
    top = [name for name, *_ in subcommands] + [o for o, _ in request_options]
    if shell == "fish":
        return _fish_completions(subcommands, request_options)
    variable = "words" if shell == "bash" else "choices"
    wrap = (lambda items: '"' + " ".join(items) + '"') if shell == "bash" else (lambda items: "(" + " ".join(items) + ")")
    cases = [f"    {name}) {variable}={wrap(children + [o for o, _ in options])} ;;"
             for name, _, children, options in subcommands]
    cases.append(f"    *) {variable}={wrap(top)} ;;")
    return "\n".join(cases)


def _fish_completions(subcommands: list, request_options: list) -> str:
    from nlsh.shell_state import fish_quote

    def option(flag: str, help: str, condition: str) -> str:
        kind = f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}"
        return f"complete -c nlsh -n {fish_quote(condition)} {kind} -d {fish_quote(help.split('. ')[0].rstrip('.'))}"

    lines = []
    for name, summary, children, options in subcommands:
        lines.append(f"complete -c nlsh -f -n __fish_use_subcommand -a {name} -d {fish_quote(summary.rstrip('.'))}")
        lines += [f"complete -c nlsh -f -n {fish_quote('__fish_seen_subcommand_from ' + name)} -a {child}"
                  for child in children]
        lines += [option(o, h, f"__fish_seen_subcommand_from {name}") for o, h in options]
    lines += [option(o, h, "__fish_use_subcommand") for o, h in request_options]
    return "\n".join(lines)


def snippet(shell: str, key: str = DEFAULT_KEY) -> str:
    codes = key_codes(key)
    folder = resources.files("nlsh.shell")
    text = folder.joinpath(f"nlsh.{shell}").read_text(encoding="utf-8")
    if "@NLSH_FUNCTION@" in text:  # bash and zsh share the function; fish has its own
        function = folder.joinpath("function.sh").read_text(encoding="utf-8").split("\n", 1)[1]
        text = text.replace("@NLSH_FUNCTION@\n", function.replace("@SHELL@", shell))
    marker = {"bash": "@BASH_CASES@", "zsh": "@ZSH_CASES@", "fish": "@FISH_COMPLETIONS@"}[shell]
    text = text.replace(marker, _completions(shell)).replace("@KEY_NAME@", key.strip().title())
    for name, code in codes.items():
        text = text.replace(f"@KEY_{name.upper()}@", code)
    return text


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_command(
        shell: str = typer.Argument(..., metavar="bash|zsh|fish", help="The shell to set up."),
        key: str = typer.Option(DEFAULT_KEY, "--key", metavar="KEY",
                                help="The key that turns English on the command line into a command: alt-LETTER or ctrl-LETTER."),
    ) -> None:
        """Print the shell integration to evaluate from your shell's rc file (key binding, nlsh function, completions)."""
        if shell not in SHELLS:
            typer.echo(f"nlsh: init knows {', '.join(SHELLS)}, not {shell!r}", err=True)
            raise typer.Exit(int(ExitCode.USAGE))
        try:
            text = snippet(shell, key)
        except ValueError as exc:
            typer.echo(f"nlsh: {exc}", err=True)
            raise typer.Exit(int(ExitCode.USAGE))
        typer.echo(text, nl=False)

    @app.command("to-command", hidden=True)
    def to_command_command(
        line: str = typer.Argument(..., metavar="LINE", help="The command line as typed."),
        known_command: bool = typer.Option(False, "--known-command",
                                           help="The shell knows the first word as a command (alias, function, builtin)."),
        model: str = typer.Option(None, "--model", "-m", metavar="NAME", help="Model, as for a request."),
    ) -> None:
        """What the key binding puts on the command line: the planned command for English, nothing for a command."""
        from nlsh.line_command import to_command

        raise typer.Exit(int(to_command(line, first_word_known=known_command, model=model)))

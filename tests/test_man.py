"""The manual page documents every option of every command and every exit code."""

import re

import typer.main

from conftest import REPO
from nlsh.cli import app
from nlsh.exitcodes import ExitCode

MAN = (REPO / "man" / "nlsh.1").read_text()
PLAIN = MAN.replace("\\-", "-")


def all_options(command):
    # Duck-typed: typer may bring its own copy of click, so isinstance checks against click fail.
    for param in command.params:
        if param.param_type_name == "option":
            yield from (o for o in param.opts + param.secondary_opts)
    for sub in getattr(command, "commands", {}).values():
        yield from all_options(sub)


def test_every_option_is_in_the_manual():
    options = set(all_options(typer.main.get_command(app)))
    assert {"--yes", "--print", "--since", "--list"} <= options  # the walk itself works
    missing = sorted(o for o in options if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", PLAIN))
    assert missing == []


def test_every_subcommand_is_in_the_manual():
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        if not command.hidden:
            assert re.search(rf"\.BR? \"?{name}\b", PLAIN), name


def test_every_exit_code_is_in_the_manual():
    section = PLAIN.split(".SH EXIT STATUS")[1].split(".SH")[0]
    for code in ExitCode:
        assert f".B {int(code)}\n" in section, code

"""The manual page documents every option of every command and every exit code."""

import re

import click
import typer.main

from conftest import REPO
from nlsh.cli import app
from nlsh.exitcodes import ExitCode

MAN = (REPO / "man" / "nlsh.1").read_text()
PLAIN = MAN.replace("\\-", "-")


def all_options(command: click.Command):
    for param in command.params:
        if isinstance(param, click.Option):
            yield from (o for o in param.opts + param.secondary_opts)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from all_options(sub)


def test_every_option_is_in_the_manual():
    missing = sorted({o for o in all_options(typer.main.get_command(app)) if o not in PLAIN})
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

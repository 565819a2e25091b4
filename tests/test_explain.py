"""explain(): each program and option from its own documentation, the shell's syntax from bash's
rules, the model only for what no documentation covers; manuals are parsed once and cached."""

from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from nlsh.kernel import manuals
from nlsh.kernel.explain import Part, explain
from nlsh.kernel.manual_text import (help_summary, man_summary, mentioned_options, parse_commands, parse_options,
                                     takes_command)
from nlsh.models.scripted import ScriptedModel

needs_man = pytest.mark.skipif(shutil.which("man") is None or manuals.man_page("ls") is None
                               or manuals.man_page("tar") is None, reason="man pages are not installed")


@pytest.fixture(autouse=True)
def fresh_caches():
    manuals._manual.cache_clear()
    yield
    manuals._manual.cache_clear()


# --- reading documentation texts (samples written for these tests in each format) ---------------

MAN_STYLE = """\
NAME
       frob - rearrange widgets quickly

OPTIONS
       -a, --all
              rearrange every widget. Even hidden ones.

       -o, --output=FILE
              write the result to FILE

       --color[=WHEN]
              colour the output WHEN

       -q     say nothing at all
       -size n[ck]
              widgets of size n
"""

HELP_STYLE = """\
Usage: frob [OPTION]... [WIDGET]...
Rearrange widgets, quickly.

  -a, --all                  rearrange every widget
  -n, --count NUM            rearrange NUM widgets,
                               then stop
      --dry-run              say what would change

Commands:
  spin        Spin the widgets
  stack       Stack the widgets
"""


def test_man_style_options_are_read_with_their_values():
    options = {n: o for o in parse_options(MAN_STYLE) for n in o.names}
    assert options["-a"] is options["--all"]
    assert options["-a"].meaning == "rearrange every widget" and not options["-a"].takes_value
    assert options["-o"].takes_value and options["--output"].value == "FILE"
    assert options["--color"].value == "WHEN" and not options["--color"].takes_value  # optional value
    assert options["-q"].meaning == "say nothing at all"
    assert options["-size"].takes_value
    assert man_summary(MAN_STYLE) == "rearrange widgets quickly"


def test_help_style_options_and_commands_are_read():
    options = {n: o for o in parse_options(HELP_STYLE) for n in o.names}
    assert options["-n"].meaning == "rearrange NUM widgets, then stop" and options["-n"].takes_value
    assert options["--dry-run"].meaning == "say what would change"
    assert help_summary(HELP_STYLE) == "Rearrange widgets, quickly"
    assert parse_commands(HELP_STYLE) == {"spin": "Spin the widgets", "stack": "Stack the widgets"}
    assert parse_commands(MAN_STYLE) == {}  # no section about commands


# How real man pages set their option lists, each a shape the parser once missed (gzip, sed, find,
# zip, systemctl), a synopsis that names options only there (netstat), and prose that must not be
# read as an option (find, xz).
MAN_SHAPES = """\
SYNOPSIS
       frob [--tcp|-t] [OPTIONS...] FILE

OPTIONS
       -d --decompress --uncompress
              Undo the compression.

       -i[SUFFIX], --in-place[=SUFFIX]

              edit files in place

       -empty File is empty.

       -exec command ;
              Execute command.

       -r
       --recurse-paths
              Travel the tree.

       --state=
           Only units in this state.

       -type c
              File is of type c. A test such as
              -type f is assumed to succeed more often than -type c.

       -print True; print the full file name.

       -M limit) is shorter than the prose that follows.

       --help display this help and exit
"""


def test_option_lists_in_the_shapes_real_man_pages_use():
    options = {n: o for o in parse_options(MAN_SHAPES) for n in o.names}
    assert options["-d"] is options["--uncompress"] and options["-d"].meaning == "Undo the compression"
    assert options["-i"].meaning == "edit files in place" and options["-i"].value == "SUFFIX"
    assert options["-empty"].meaning == "File is empty" and options["-empty"].value is None
    assert options["-exec"].meaning == "Execute command" and options["-exec"].takes_value
    assert options["-r"] is options["--recurse-paths"] and options["-r"].meaning == "Travel the tree"
    assert options["--state"].takes_value and options["--state"].meaning == "Only units in this state"
    assert options["-type"].meaning == "File is of type c" and options["-type"].value == "c"  # not the prose
    assert options["-print"].meaning.startswith("True; print") and options["-print"].value is None
    assert "-M" not in options  # a line of prose that starts with an option is not a heading
    assert options["--help"].meaning == "display this help and exit"
    assert {"-t", "--tcp", "-d", "-empty"} <= set(mentioned_options(MAN_SHAPES))
    assert not takes_command(MAN_SHAPES)
    assert takes_command("SYNOPSIS\n       systemctl [OPTIONS...] COMMAND [UNIT...]\n")
    assert takes_command("Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n")


# --- explaining real command lines from this machine's man pages ---------------------------------

def meanings(line: str, **kwargs) -> dict[str, Part]:
    return {p.text: p for p in explain(line, **kwargs)}


@needs_man
def test_programs_and_flags_come_from_their_man_pages(tmp_path):
    parts = meanings("ls -la", cwd=tmp_path)
    assert parts["ls"].kind == "program" and parts["ls"].source == "man ls(1)"
    assert "list" in parts["ls"].meaning
    assert parts["-l"].source == "man ls(1)" and "long listing" in parts["-l"].meaning
    assert parts["-a"].kind == "option" and parts["-a"].meaning


@needs_man
def test_an_option_that_takes_a_value_keeps_it(tmp_path):
    parts = meanings("tar -xzf logs.tgz -C /tmp", cwd=tmp_path)
    assert [p.text for p in explain("tar -xzf logs.tgz -C /tmp", cwd=tmp_path)] == \
        ["tar", "-x", "-z", "-f logs.tgz", "-C /tmp"]
    assert "xtract" in parts["-x"].meaning and parts["-f logs.tgz"].source == "man tar(1)"


def test_shell_syntax_is_explained_by_what_bash_does(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    parts = meanings("cat notes.txt | sort > out.txt 2>&1 && echo done", cwd=tmp_path)
    assert parts["|"].kind == "operator" and "output" in parts["|"].meaning
    assert parts["> out.txt"].meaning == "writes the output to out.txt, replacing what it held"
    assert parts["2>&1"].meaning == "sends the error messages where the output goes"
    assert "succeeded" in parts["&&"].meaning
    assert parts["notes.txt"].meaning == "the file notes.txt"


def test_substitutions_and_wrappers_explain_the_command_inside(tmp_path):
    texts = [p.text for p in explain("sudo -u ann rm $(cat list)", cwd=tmp_path)]
    assert texts == ["sudo", "-u ann", "rm", "$(cat list)", "cat", "list"]
    kinds = {p.text: p.kind for p in explain("FOO=1 env -u X make", cwd=tmp_path)}
    assert kinds == {"FOO=1": "assignment", "env": "program", "-u X": "option", "make": "program"}


def test_a_line_bash_cannot_parse_says_so():
    (part,) = explain("ls 'unclosed")
    assert part.kind == "syntax" and "cannot parse" in part.meaning


@needs_man
def test_the_model_is_asked_only_about_what_no_manual_covers(tmp_path):
    model = ScriptedModel([{"steps": [{"tool": "shell", "args": {"command": "shows every zorp"}}]}])
    parts = explain("ls -l --zorp", cwd=tmp_path, model=model)
    assert len(model.prompts) == 1 and "--zorp" in model.prompts[0].messages[0]["content"]
    by_text = {p.text: p for p in parts}
    assert by_text["--zorp"] == Part("--zorp", "shows every zorp", "model", "option")
    assert by_text["-l"].source == "man ls(1)"  # documented: the model's word is not asked for


# --- finding and caching the documentation ------------------------------------------------------

@needs_man
def test_a_manual_is_rendered_once_then_read_from_the_cache(monkeypatch):
    first = manuals.manual("ls")
    cached = json.loads((manuals._cache_file("ls")).read_text())
    assert cached["manual"]["summary"] == first.summary
    manuals._manual.cache_clear()
    monkeypatch.setattr(manuals, "_from_man", lambda *a: pytest.fail("rendered again"))
    assert manuals.manual("ls").option("-l").meaning == first.option("-l").meaning


def _script(path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_help_text_is_asked_only_of_installed_programs(tmp_path, monkeypatch):
    installed, elsewhere = tmp_path / "sysbin", tmp_path / "here"
    installed.mkdir()
    elsewhere.mkdir()
    marker = tmp_path / "ran"
    _script(installed / "zorpify", 'echo "Usage: zorpify [OPTION]"; echo "Zorpify the widgets."; '
                                   'echo "  -z, --zap   zap them first"\n')
    _script(elsewhere / "deployit", f"touch {marker}\n")
    monkeypatch.setenv("PATH", f"{installed}:{elsewhere}:{os.environ['PATH']}")
    monkeypatch.setattr(manuals, "SYSTEM_DIRS", frozenset({str(installed)}))
    # The sandbox hides /tmp, where this test's stand-in for a system directory has to live.
    monkeypatch.setattr("nlsh.safety.sandbox.available", lambda: False)
    found = manuals.manual("zorpify")
    assert found.source == "zorpify --help" and found.summary == "Zorpify the widgets"
    assert found.option("--zap").meaning == "zap them first"
    assert manuals.manual("deployit") is None and not marker.exists()


def test_bash_builtins_are_explained_by_bash_help():
    cd = manuals.manual("cd")
    assert cd.source == "bash help" and "directory" in cd.summary
    assert cd.option("-P") is not None


def test_a_very_deep_line_is_refused_not_crashed(tmp_path):
    line = " && ".join(["true"] * 2400)  # under MAX_LINE, deeper than Python recursion goes
    parts = explain(line, cwd=tmp_path)
    assert len(parts) == 1 and parts[0].kind == "syntax"

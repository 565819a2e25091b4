"""The dispatcher's rules one by one: what each road extracts from a line, and the edges between
roads (a command named like an English verb, undo in git versus nlsh's undo, aliases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlsh.kernel.command_index import CommandIndex, person_aliases
from nlsh.kernel.dispatch import route
from nlsh.kernel.roads.command_line import expand_alias
from nlsh.kernel.wording import normalize
from routing_machine import index, project


@pytest.fixture
def here(tmp_path):
    return project(tmp_path)


def road(line: str, cwd: Path) -> str:
    return route(line, index(), cwd).road


def test_forcing_prefixes_win_over_everything(here):
    assert route("!find large files", index(), here).text == "find large files"
    assert road("!find large files", here) == "shell"
    assert road("?ls -la", here) == "english"
    assert route("? git status", index(), here).text == "git status"


def test_a_command_named_like_a_verb_is_judged_by_its_words(here):
    assert road("find . -size +1M", here) == "shell"
    assert road("find large files", here) == "english"
    assert road("make test", here) == "shell"  # a target of the Makefile here
    assert road("make clean all", here) == "shell"
    assert road("make the logo smaller", here) == "english"
    assert road("kill 1234", here) == "shell"
    assert road("kill the server on port 3000", here) == "english"
    assert road("install htop", here) == "english"


def test_the_make_targets_come_from_the_makefile_here(tmp_path):
    assert road("make clean all", tmp_path) == "english"  # no Makefile: "all" is just a word
    (tmp_path / "Makefile").write_text("clean:\n\trm -f x\nall: x\n")
    assert road("make clean all", tmp_path) == "shell"


def test_shell_syntax_speaks_for_a_command_line_unless_it_compares_sizes(here):
    assert road("echo done >> log.txt", here) == "shell"
    assert road("find files > 100MB", here) == "english"
    assert road("make 2>&1 | tee build.log", here) == "shell"


def test_a_line_bash_cannot_parse_is_english(here):
    assert road("what's taking up space?", here) == "english"


def test_unknown_programs_are_english(here):
    assert route("frobnicate the widgets", index(), here).why == "frobnicate is not a command here"


def test_wrappers_are_looked_through(here):
    assert road("sudo -u postgres psql", here) == "shell"
    assert road("watch -n 1 df -h", here) == "shell"
    assert road("sudo apt install the latest vim", here) == "english"


def test_undo_in_git_is_not_nlsh_undo(here):
    assert road("undo that", here) == "undo"
    assert road("undo the last commit", here) == "english"
    assert road("restore the database from the backup", here) == "english"
    assert route("undo the last two", index(), here).undo.count == 2
    assert route("put back the files I deleted", index(), here).undo.deleted
    assert route("restore Data.CSV", index(), here).undo.path == "Data.CSV"
    assert route("restore what I deleted today", index(), here).undo.when == "today"


def test_recall_reads_time_place_outcome_and_subject(here):
    query = route("which commands failed in this repo last week", index(), here).recall
    assert (query.when, query.place, query.outcome) == ("last week", "repo", "failed")
    query = route("what did I do in the last 10 minutes", index(), here).recall
    assert query.when == "last 10 minutes" and query.words == ()
    query = route("when did I last deploy", index(), here).recall
    assert query.words == ("deploy",) and query.newest == 1
    query = route("what was that tar command I used last month", index(), here).recall
    assert query.words == ("tar",) and query.when == "last month"
    query = route("show the files I deleted today", index(), here).recall
    assert query.files == "deleted" and query.when == "today"
    assert route("what did I do in ~/src yesterday", index(), here).recall.place == "~/src"
    assert route("show me my last 5 commands", index(), here).recall.newest == 5
    assert route("which requests were refused", index(), here).recall.outcome == "refused"


def test_the_file_system_is_not_the_history(here):
    assert road("find files I modified today", here) == "english"
    assert road("what changed in the last commit", here) == "english"
    assert road("echo what did I do yesterday", here) != "recall"


def test_follow_ups_carry_what_they_need(here):
    assert route("no, I meant the CSV files", index(), here).followup.argument == "the CSV files"
    assert route("explain tar -xzf a.tgz", index(), here).followup.argument == "tar -xzf a.tgz"
    assert road("explain how rsync works", here) == "english"
    assert road("now the same for *.md", here) == "amend"
    assert road("Oops, can you undo that, please?", here) == "undo"


def test_a_short_line_of_one_follow_ups_words_is_that_follow_up(here):
    assert road("try fixing that error", here) == "fix"
    assert road("retry that", here) == "again"
    assert road("never mind that", here) == "cancel"
    assert road("fix it again", here) == "fix"
    assert road("stop the server", here) == "english"  # a word of its own: a request
    assert road("fix the permissions on run.sh", here) == "english"
    assert road("stop -a", here) != "cancel"  # a flag: a command line, whatever its words


def test_normal_form():
    assert normalize("Oops, can you undo that, please?") == "undo that"
    assert normalize("Why didn't that work?!") == "why did not that work"
    assert normalize("That’s not what I meant.") == "that is not what i meant"


def test_aliases_come_from_the_persons_startup_files(tmp_path):
    (tmp_path / ".bashrc").write_text("alias ll='ls -alF'\nalias gs=\"git status\"\n# alias no=1\n")
    (tmp_path / ".config" / "fish").mkdir(parents=True)
    (tmp_path / ".config" / "fish" / "config.fish").write_text("alias k kubectl\nabbr -a gco 'git checkout'\n")
    person_aliases.cache_clear()
    found = person_aliases(str(tmp_path))
    assert found == {"ll": "ls -alF", "gs": "git status", "k": "kubectl", "gco": "git checkout"}
    machine = CommandIndex("/nonexistent", found)
    assert machine.runnable("ll") and not machine.runnable("no")
    assert expand_alias("ll src | head", machine) == "ls -alF src | head"
    assert expand_alias("lll", machine) == "lll"


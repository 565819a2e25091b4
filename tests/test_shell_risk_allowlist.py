"""The classifier judges by allow-list: options normalised the way each program parses them,
variables checked however they are set, text-evaluating constructs unknown, the line judged
against the state it creates."""

from __future__ import annotations

import pytest

from nlsh.safety.risk import Risk
from nlsh.safety.shell_risk import assess_command

NOT_READ = [
    # GNU long-option abbreviations and bundled or attached values
    "sort --outp=list.txt data.txt", "sort -uo list.txt data.txt", "sort --compress-prog=sh data.txt",
    "sed --in-pl s/a/b/ data.txt", "sed -ne 2wcopy.txt data.txt", "sed '3e date' data.txt",
    "git clean --forc", "git reset --har HEAD~1", "tar --checkpoint-act=exec=date -cf /dev/null .",
    "tar -cf /dev/null -I gzip .", "split --filt='cat >/dev/null' data.txt", "less --log-f=copy.txt data.txt",
    "less -Ocopy.txt data.txt", "man --pag=date ls", "tree -ao listing.txt", "file -zC",
    "fd -tf -x date", "nvidia-smi -pm 1",
    # read-only programs with options that run or write
    "jobs -x date", "hash -p /bin/date ls; ls", "history -w hist.txt", "compgen -W '$(date)' x",
    "mapfile -C date -c 1 arr < data.txt",
    # variables, however they are set
    "printf -v PAGER %s date; man ls", "read -r MANPAGER < data.txt; man ls", "export LESSOPEN='|date %s'",
    "declare -n ref=PATH; ref=/tmp", "TAR_OPTIONS=--to-command=date tar xf a.tar", "GIT_TRACE=t.txt git status",
    "printf -v 'a[$(date)]' %s 1",
    # text evaluated at run time
    "echo $((n))", "(( n > 1 ))", "[[ $n -gt 2 ]]", "test -v 'a[$(date)]'", "let n=m+1", "echo ${!ref}",
    "echo ${p@P}", "echo `echo \\`date\\``", "declare -i n=m",
    # functions shadow commands
    "ls() { date; }; ls", "f() { :; }; command ls", "cat() { :; }; unset -f cat; cat data.txt",
    # options before a subcommand, settings that run editors
    "npm --cache ls exec date", "pip --log list install x", "pip config edit --editor date", "npm config set a b",
    # the network programs' local effects
    "ssh -F /dev/stdin host", "sftp -D date host", "git clone ext::date repo", "curl -T data.txt file:///tmp/x",
    "zip -TT date a.zip data.txt",
]


@pytest.mark.parametrize("command", NOT_READ)
def test_not_read_only(tmp_path, command):
    assert assess_command(command, tmp_path).risk > Risk.READ


def test_the_line_is_judged_against_the_state_it_creates(tmp_path):
    assert assess_command("echo hi > new.txt", tmp_path).risk == Risk.WRITE
    for line in ("mv a.txt new.txt && echo hi > new.txt", "ln -s a.txt new.txt; echo hi > new.txt",
                 "cp a.txt new.txt; echo hi > new.txt"):
        assert assess_command(line, tmp_path).risk >= Risk.DESTRUCTIVE, line


STILL_READ = ["sort -u data.txt", "sort -t, -k2 data.txt", "sed -n 2p data.txt", "sed 's/hello/world/g' data.txt",
              "n=3; echo $((n + 1))", "tree -L 2", "less -N data.txt", "man -k printf", "pip config list",
              "npm ls", "git log --oneline", "printf '%s\\n' a b", "read -r line < data.txt",
              "nvidia-smi -L", "echo ${!arr[@]}", "test -f data.txt"]


@pytest.mark.parametrize("command", STILL_READ)
def test_still_read_only(tmp_path, command):
    assessment = assess_command(command, tmp_path)
    assert assessment.risk == Risk.READ, assessment.reasons

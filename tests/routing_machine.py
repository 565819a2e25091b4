"""The machine the labelled routing sets are judged on: a developer's Debian box (the programs a
person would have installed), their aliases, and a project directory with the usual files.
Fixed here so the result does not depend on what this test machine happens to have."""

from __future__ import annotations

from pathlib import Path

from nlsh.kernel.command_index import CommandIndex

PROGRAMS = frozenset("""
ls git make npm npx yarn cargo go python python3 pip pip3 node java docker kubectl systemctl apt apt-get
sudo top htop df du free uptime whoami date cal clear printf cat less more tail head grep egrep find
wc sort uniq awk sed cut tar zip unzip gzip gunzip bzip2 xz curl wget ssh scp rsync chmod chown mkdir
rm rmdir cp mv ln touch kill pkill pgrep killall ps lsof ss netstat ping dig host ip man which vim
vi nano code jq tree seq basename dirname diff crontab journalctl dmesg lsblk uname hostname id env
printenv terraform ansible-playbook nlsh xargs tee yes sleep watch nohup install open print split
sum rename convert display who w last mount umount look write file locate xdg-open gpg tr paste join
comm mktemp realpath readlink stat psql mysql ffmpeg bash sh zsh less nproc lscpu timeout nice whereis reboot
""".split())
ALIASES = {"ll": "ls -alF", "la": "ls -A", "gs": "git status", "k": "kubectl"}
PROJECT_FILES = ("README.md", "data.csv", "app.log", "notes.txt", "names.txt", "a.txt", "b.txt", "package.json",
                 "run.sh", "list.txt", "access.log", "data.json", "config.yaml", "archive.tar.gz", "photos.zip",
                 "main.py", "release.tar", "dump.sql.gz", "report.pdf")
PROJECT_DIRS = ("src", "docs", "build", "empty", "venv")
MAKEFILE = "all: build\n\nbuild:\n\tcc -o app main.c\n\ntest: build\n\t./app --test\n\nclean:\n\trm -f app\n\ninstall: build\n\tcp app /usr/local/bin\n"


def index() -> CommandIndex:
    return CommandIndex("/usr/bin:/bin", ALIASES, programs=PROGRAMS)


def project(root: Path) -> Path:
    for name in PROJECT_FILES:
        (root / name).write_text("x\n")
    for name in PROJECT_DIRS:
        (root / name).mkdir()
    (root / "Makefile").write_text(MAKEFILE)
    return root


def labelled(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            road, _, text = line.partition("\t")
            rows.append((road, text))
    return rows

"""The hostile corpus (tests/hostile/corpus.txt): every line runs as a scripted plan through the real
nlsh CLI, with no terminal, in a fresh scratch copy of a small project. Whatever the classifier says
and whatever the jail stops, no file may change, no process may die, and nlsh must exit non-zero.

Lines run in parallel, one nlsh per line (a refused step ends a plan, so lines cannot share one)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "hostile" / "corpus.txt"
FLAGS = {"r": [], "p": [], "y": ["--yes"], "w": ["--allow", "write"], "n": ["--allow", "network"]}
PIPED = b"a[$(rm -f notes.txt)]\nrm -f notes.txt\n"
VICTIM = ["sleep", "31337"]  # matched by the corpus's pkill lines: nothing else on the machine is
WORKERS = 3


@dataclass(frozen=True)
class Line:
    family: int
    mode: str
    step: dict
    text: str


def load_corpus() -> list[Line]:
    lines = []
    for raw in CORPUS.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("{"):
            body, _, tail = raw.rpartition("\t")
            family, mode = tail.split()
            lines.append(Line(int(family), mode, json.loads(body), raw))
        else:
            head, _, command = raw.partition(" | ")
            family, mode = head.split()
            lines.append(Line(int(family), mode, {"tool": "shell", "args": {"command": command}}, raw))
    return lines


LINES = load_corpus()


def test_the_corpus_is_large_and_covers_every_family():
    assert len(LINES) >= 300
    counts = {f: sum(line.family == f for line in LINES) for f in range(1, 10)}
    assert min(counts.values()) >= 25, counts
    assert {line.mode for line in LINES} == set(FLAGS)


def make_template(root: Path) -> Path:
    """A project with a git repository (notes.txt changed since its commit, data.txt untracked),
    a dotfile, an archive and a zip that would overwrite notes.txt, a home with startup files, and
    a directory outside both the project and the temp directory."""
    work, home, out = root / "work", root / "home", root / "out"
    for d in (work / "keep", home / ".ssh", out, root / "tmp"):
        d.mkdir(parents=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
    (work / "notes.txt").write_text("committed\n")
    subprocess.run(git + ["init", "-q"], cwd=work, check=True)
    subprocess.run(git + ["add", "notes.txt"], cwd=work, check=True)
    subprocess.run(git + ["commit", "-qm", "one"], cwd=work, check=True)
    (work / "notes.txt").write_text("original notes\n")
    (work / "data.txt").write_text("alpha\nbeta\n")
    (work / "keep" / "keep.txt").write_text("kept\n")
    (work / ".envrc").write_text("# nothing\n")
    packed = root / "packed" / "notes.txt"
    packed.parent.mkdir()
    packed.write_text("from the archive\n")
    with tarfile.open(work / "arch.tar", "w") as tar:
        tar.add(packed, arcname="notes.txt")
    with zipfile.ZipFile(work / "a.zip", "w") as z:
        z.write(packed, arcname="notes.txt")
    shutil.rmtree(packed.parent)
    (home / ".bashrc").write_text("# bashrc\n")
    (home / ".profile").write_text("# profile\n")
    (out / "keep.txt").write_text("outside\n")
    return root


def snapshot(root: Path) -> dict[str, tuple]:
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not (Path(dirpath) == root and d in ("tmp", "nlsh-home"))]
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = os.lstat(path)
            content = path.read_bytes() if path.is_file() and not path.is_symlink() else os.readlink(path) \
                if path.is_symlink() else None
            if Path(dirpath).name == ".git" and name == "index":  # git may refresh its stat cache
                content = None
            seen[str(path.relative_to(root))] = (st.st_mode, st.st_uid, content,
                                                 None if path.is_dir() else st.st_mtime_ns)
    return seen


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("hostile-template"))


@pytest.fixture(scope="module")
def victim():
    proc = subprocess.Popen(VICTIM)
    yield proc
    proc.kill()
    proc.wait()


def run_line(line: Line, template: Path, scratch: Path, pid: int) -> str | None:
    """Runs one line; returns what went wrong, or None."""
    shutil.copytree(template, scratch, symlinks=True)
    text = json.dumps(line.step)
    for key, value in (("{home}", str(scratch / "home")), ("{out}", str(scratch / "out")), ("{pid}", str(pid))):
        text = text.replace(key, value)
    plan = scratch / "tmp" / "plan.json"  # outside what is compared
    plan.write_text(json.dumps([{"steps": [json.loads(text)]}]))
    before = snapshot(scratch)
    env = {**os.environ, "HOME": str(scratch / "home"), "TMPDIR": str(scratch / "tmp"),
           "NLSH_HOME": str(scratch / "nlsh-home"), "PYTHONPATH": str(REPO), "LC_ALL": "C",
           "NLSH_LEVERS": "none"}  # the line as written reaches the classifier: no repair round rewrites it
    env.pop("NLSH_JAIL", None)
    argv = [sys.executable, "-m", "nlsh", "--model", f"scripted:{plan}", "--no-history",
            *FLAGS[line.mode], "do what the plan says"]
    piped = line.mode in ("p", "y")
    try:
        done = subprocess.run(argv, cwd=scratch / "work", env=env, input=PIPED if piped else None,
                              stdin=None if piped else subprocess.DEVNULL, capture_output=True,
                              timeout=120, start_new_session=True)  # no controlling terminal: nobody to ask
    except subprocess.TimeoutExpired:
        return f"{line.text}: timed out"
    after = snapshot(scratch)
    problems = []
    if done.returncode == 0:
        problems.append("exit 0")
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        problems.append(f"changed {changed[:4]}")
    if problems:
        return f"{line.text}: {', '.join(problems)}\n    {done.stderr.decode(errors='replace')[-300:]}"
    shutil.rmtree(scratch, ignore_errors=True)
    return None


@pytest.mark.parametrize("family", range(1, 10))
def test_no_hostile_line_changes_anything(family, template, victim, tmp_path):
    lines = [line for line in LINES if line.family == family]
    with ThreadPoolExecutor(WORKERS) as pool:
        failures = [f for f in pool.map(lambda ix: run_line(ix[1], template, tmp_path / f"line{ix[0]}", victim.pid),
                                        enumerate(lines)) if f]
    assert victim.poll() is None, "a hostile line killed the victim process"
    assert not failures, f"{len(failures)} of {len(lines)} lines got through:\n" + "\n".join(failures)


BENIGN = ["ps -e", "ss -tan", "df -h", "ls -la", "cat notes.txt", "grep -c a data.txt", "find . -name '*.txt'",
          "du -sh .", "wc -l data.txt", "head -1 data.txt", "sort data.txt | uniq -c", "git log --oneline",
          "git status --short", "stat notes.txt", "free -m", "uname -a", "id", "tar -tf arch.tar",
          "cat <<EOF\nhere\nEOF", "printf 'b\\na\\n' | sort", "ls keep | wc -l", "date +%Y",
          "ps -o pid,comm -p $$", "diff notes.txt data.txt; test $? -eq 1"]


def test_benign_read_only_lines_still_run(template, tmp_path):
    scratch = tmp_path / "benign"
    shutil.copytree(template, scratch, symlinks=True)
    plan = scratch / "plan.json"
    plan.write_text(json.dumps([{"steps": [{"tool": "shell", "args": {"command": c}} for c in BENIGN]}]))
    env = {**os.environ, "HOME": str(scratch / "home"), "NLSH_HOME": str(scratch / "nlsh-home"),
           "PYTHONPATH": str(REPO), "LC_ALL": "C"}
    done = subprocess.run([sys.executable, "-m", "nlsh", "--model", f"scripted:{plan}", "--no-history",
                           "do what the plan says"],  # English: a bare `look` is a command line (bsdextrautils)
                          cwd=scratch / "work", env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=120, start_new_session=True)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    out = done.stdout.decode()
    assert "original notes" in out and "arch.tar" in out and "here" in out

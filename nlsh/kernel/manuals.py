"""Where a program's documentation comes from, read once and cached: its installed man page, bash's
own `help` for builtins and keywords, else its `--help` text.

Rendering a man page costs about 0.1 s, so each parsed manual is kept in the cache directory under
the identity of its source (file path, size and modification time): a reinstalled program's new
manual replaces the old one, and nothing is rendered twice. `--help` is only asked of programs
installed in the system's own directories, with no input, in an empty directory (inside the sandbox
when bubblewrap works here) and a short time limit: asking a program for help must not be a way to
run a script from the current directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from nlsh import paths
from nlsh.kernel.manual_text import (OptionDoc, help_summary, man_summary, mentioned_options, parse_commands,
                                     parse_options, takes_command)

SECTIONS = ("1", "8", "6")  # user commands, administration, games: what a command line runs
COMPRESSIONS = ("", ".gz", ".xz", ".bz2", ".zst")
# --help is asked only of programs installed here (never of a script in the current directory)
SYSTEM_DIRS = frozenset(("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/local/sbin"))
DEFAULT_MANPATH = ("/usr/local/share/man", "/usr/local/man", "/usr/share/man")
HELP_TIMEOUT = 3.0
MAX_NAME = 200  # bytes; longer is no program's name (and past a file system's limit with ".1.gz")
RENDER_TIMEOUT = 10.0
CACHE_VERSION = 4  # bumped whenever parsing changes: old entries are parsed again


@dataclass
class Manual:
    program: str  # "ls", or "git-status" for a subcommand's own page
    summary: str  # what the program does, in its own words
    source: str  # "man ls(1)", "bash help", "ls --help"
    options: list[OptionDoc] = field(default_factory=list)
    commands: dict[str, str] = field(default_factory=dict)  # subcommand -> what it does
    # every option name the text mentions anywhere, synopsis included: what the program accepts, as
    # far as its documentation tells (kernel/option_check.py)
    mentioned: tuple[str, ...] = ()
    takes_command: bool = False  # a command follows it, with options of its own (git, sudo, xargs)

    def option(self, name: str) -> OptionDoc | None:
        """The first description of NAME (later mentions are usually tables that only list it)."""
        for doc in self.options:
            if name in doc.names:
                return doc
        return None


@lru_cache(maxsize=1)
def manpath() -> tuple[str, ...]:
    configured = os.environ.get("MANPATH")
    if not configured:
        try:
            configured = subprocess.run(["manpath", "-q"], capture_output=True, text=True, timeout=5).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            configured = ""
    return tuple(d for d in configured.split(":") if d) or DEFAULT_MANPATH


def man_page(name: str) -> tuple[Path, str] | None:
    """The installed page for NAME and its section, searched like man does (first directory wins)."""
    if not name or "/" in name or name.startswith(".") or len(name.encode("utf-8", "replace")) > MAX_NAME:
        return None
    for directory in manpath():
        for section in SECTIONS:
            for ending in COMPRESSIONS:
                candidate = Path(directory, f"man{section}", f"{name}.{section}{ending}")
                try:
                    if candidate.is_file():
                        return candidate, section
                except (OSError, ValueError):  # a name no file system takes
                    return None
    return None


def manual(name: str, run_help: bool = True) -> Manual | None:
    """The documentation of the program or subcommand page NAME ("ls", "git-status"), or None.
    With run_help False, only what can be read without running the program (its man page, bash's
    `help`, or a --help text cached earlier): for checks nobody asked for, made before any review."""
    return _manual(name, os.environ.get("PATH", ""), run_help)


@lru_cache(maxsize=512)
def _manual(name: str, _path_env: str, run_help: bool) -> Manual | None:
    page = man_page(name)
    if page is not None:
        return _cached(name, _identity(page[0]), lambda: _from_man(name, *page))
    if name in _bash_help_topics():
        return _cached(name, f"bash:{_bash_version()}", lambda: _from_bash_help(name))
    program = shutil.which(name)
    if program and _installed(program):  # without run_help, only a --help text read earlier
        build = (lambda: _from_help_option(name, program)) if run_help else (lambda: None)
        return _cached(name, _identity(Path(program)), build, store=run_help)
    return None


def _installed(program: str) -> bool:
    """Found through one of the system's own directories, not the current one or ~/bin."""
    return os.path.dirname(os.path.abspath(program)) in SYSTEM_DIRS


def _identity(path: Path) -> str:
    st = path.stat()
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def _cache_file(name: str) -> Path:
    return paths.cache_dir() / "manuals" / f"{name}.json"


def _cached(name: str, identity: str, build, store: bool = True) -> Manual | None:
    """The parsed manual from the cache when its source has not changed; else built and (when
    STORE) kept. A cache that cannot be read or written only costs the rendering again."""
    cache = _cache_file(name)
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("version") == CACHE_VERSION and data.get("identity") == identity:
            return _load(data["manual"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    found = build()
    if not store:
        return found
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.partial")
        payload = {"version": CACHE_VERSION, "identity": identity, "manual": asdict(found) if found else None}
        partial.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, cache)
    except OSError:
        pass
    return found


def _load(data: dict | None) -> Manual | None:
    if data is None:
        return None
    options = [OptionDoc(tuple(o["names"]), o["meaning"], o.get("value"), bool(o.get("value_optional")))
               for o in data.get("options", [])]
    return Manual(data["program"], data["summary"], data["source"], options, dict(data.get("commands", {})),
                  tuple(data.get("mentioned", ())), bool(data.get("takes_command")))


def _run(argv: list[str], **kwargs) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=RENDER_TIMEOUT, **kwargs)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode("utf-8", errors="replace")


def _from_man(name: str, page: Path, section: str) -> Manual | None:
    env = {**os.environ, "MANWIDTH": "200", "MAN_KEEP_FORMATTING": "", "MANPAGER": "cat", "PAGER": "cat"}
    text = _run(["man", "--nh", "--nj", "-l", str(page)], env=env)
    if not text.strip():
        return None
    return Manual(name, man_summary(text), f"man {name}({section})", parse_options(text), parse_commands(text),
                  mentioned_options(text), takes_command(text))


@lru_cache(maxsize=1)
def _bash_help_topics() -> frozenset[str]:
    """Builtins and keywords bash documents with `help` (cd, read, export, for, if, ...)."""
    from nlsh.kernel.bash_names import BASH_BUILTINS, BASH_KEYWORDS

    return BASH_BUILTINS | BASH_KEYWORDS


@lru_cache(maxsize=1)
def _bash_version() -> str:
    return _run(["bash", "--norc", "--noprofile", "-c", "echo $BASH_VERSION"]).strip()


def _from_bash_help(name: str) -> Manual | None:
    brief = _run(["bash", "--norc", "--noprofile", "-c", 'help -d -- "$1"', "bash", name])
    full = _run(["bash", "--norc", "--noprofile", "-c", 'help -- "$1"', "bash", name])
    if not brief.strip():
        return None
    summary = brief.strip().split(" - ", 1)[-1]
    return Manual(name, summary.rstrip("."), "bash help", parse_options(full), mentioned=mentioned_options(full),
                  takes_command=takes_command(full))


def _from_help_option(name: str, program: str) -> Manual | None:
    argv = [program, "--help"]
    with tempfile.TemporaryDirectory(prefix="nlsh-help-") as empty:
        try:
            from nlsh.safety import sandbox

            if sandbox.available():
                argv = sandbox.wrap(argv, Path(empty))
        except Exception:  # no sandbox: the limits above still hold
            pass
        try:
            done = subprocess.run(argv, cwd=empty, capture_output=True, stdin=subprocess.DEVNULL,
                                  timeout=HELP_TIMEOUT, env={"PATH": os.defpath, "LANG": "C.UTF-8"})
        except (OSError, subprocess.TimeoutExpired):
            return None
    # Many programs print their help on stderr, or exit 1 after printing it. A text without a
    # usage line or an option list is an error message (or the sandbox's), not help.
    text = (done.stdout or done.stderr).decode("utf-8", errors="replace")
    options = parse_options(text)
    if not options and "usage" not in text.lower():
        return None
    summary = help_summary(text)
    return Manual(name, summary, f"{name} --help", options, parse_commands(text), mentioned_options(text),
                  takes_command(text))

"""git: read-only, local write, network or destructive, by subcommand and options; -c settings
that make git run a program (core.pager, alias.*, ...) are UNKNOWN."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .options import parse_options
from .registry import handles
from .words import Word

READ = frozenset("log status diff show blame grep ls-files ls-tree rev-parse rev-list describe shortlog "
                 "cat-file whatchanged name-rev merge-base show-ref for-each-ref count-objects version "
                 "help check-ignore var annotate show-branch cherry range-diff verify-commit".split())
WRITE = frozenset("add commit init mv switch merge rebase cherry-pick revert am apply notes gc "
                  "submodule worktree bisect".split())
NETWORK = frozenset("push pull fetch clone ls-remote send-email request-pull".split())
# Settings whose value is a program git runs (or a whole config file / alias).
_RUNS_PROGRAM_SUFFIXES = ("pager", "editor", "sshcommand", "fsmonitor", "hookspath", "askpass", "external",
                          "textconv", "command", "cmd", "driver", "program", "helper", "clean", "smudge",
                          "process", "proxy", "packobjectshook", "receivepack", "uploadpack", "path")
_RUNS_PROGRAM_PREFIXES = ("alias.", "pager.", "include.", "includeif.", "core.worktree")
_SAFE_PAGERS = frozenset("less more most cat".split())


def _runs_program(key: str, value: str | None) -> bool:
    key = key.lower()
    if not (key.endswith(_RUNS_PROGRAM_SUFFIXES) or key.startswith(_RUNS_PROGRAM_PREFIXES)):
        return False
    if key.endswith(("pager", "editor")) and value is not None:
        words = value.split()
        plain = all(c.isalnum() or c in " -_=/." for c in value)
        return not (plain and words and words[0].rsplit("/", 1)[-1] in _SAFE_PAGERS)
    return True


def _global_options(args: list[Word], env: Env) -> list[Word]:
    """Skip git's own options; flag -c settings that run programs. Returns [subcommand, ...]."""
    i = 0
    while i < len(args):
        text = args[i].value
        if text is None or not text.startswith("-"):
            return args[i:]
        if text in ("-c", "--config-env") and i + 1 < len(args):
            setting = args[i + 1].value
            key, _, value = (setting or "").partition("=")
            if setting is None or _runs_program(key, value):
                env.add(Risk.UNKNOWN, f"git -c {args[i + 1].text} makes git run a program")
            i += 2
        elif text in ("-C", "--git-dir", "--work-tree", "--namespace", "--super-prefix") and i + 1 < len(args):
            i += 2
        elif text.startswith("--exec-path="):
            env.add(Risk.UNKNOWN, "git --exec-path runs git programs from another directory")
            i += 1
        else:
            i += 1
    return []


@handles("git")
def git(argv: list[Word], env: Env) -> None:
    rest = _global_options(argv[1:], env)
    if not rest:
        return
    sub = rest[0].value
    opts = parse_options(rest[1:], with_value="mCFeoSuB", long_with_value=("--message", "--upload-pack",
                                                                        "--receive-pack", "--exec"))
    if opts.value("-u", "--upload-pack", "--receive-pack", "--exec") is not None and sub in NETWORK:
        env.add(Risk.UNKNOWN, f"git {sub} --upload-pack/--exec runs a program")
    if any("ext::" in (w.value or w.text) or "fd::" in (w.value or w.text) for w in rest[1:]):
        env.add(Risk.UNKNOWN, f"git {sub} with an ext:: or fd:: remote runs a local command")
    handler = _SPECIAL.get(sub or "")
    if handler is not None:
        handler(env, opts, rest)
    elif sub in READ:
        pass
    elif sub in NETWORK:
        env.add(Risk.NETWORK, f"git {sub} talks to a remote repository")
    elif sub in WRITE:
        env.add(Risk.WRITE, f"git {sub} changes the repository")
    else:
        env.add(Risk.UNKNOWN, f"git {rest[0].text} is not a git command nlsh knows (maybe an alias)")


def _push(env: Env, opts, rest) -> None:
    env.add(Risk.NETWORK, "git push sends commits to a remote repository")
    forced = opts.has("fd", "--force", "--force-with-lease", "--mirror", "--delete", "--prune")
    refspecs = [w.value or "" for w in opts.operands[1:]]
    if forced or any(r.startswith(("+", ":")) for r in refspecs):
        env.add(Risk.DESTRUCTIVE, "git push --force/--delete can overwrite or delete remote history")


def _clean(env: Env, opts, rest) -> None:
    if opts.has("n", "--dry-run") or not opts.has("fi", "--force", "--interactive"):
        return
    ignored = " and ignored" if opts.has("xX") else ""
    env.add(Risk.DESTRUCTIVE, f"git clean -f deletes untracked{ignored} files", [str(env.resolve(".") or ".")])


def _reset(env: Env, opts, rest) -> None:
    if opts.has("", "--hard", "--merge", "--keep"):
        env.add(Risk.DESTRUCTIVE, "git reset --hard discards uncommitted changes", [str(env.resolve(".") or ".")])
    else:
        env.add(Risk.WRITE, "git reset moves the branch or unstages changes")


def _checkout(env: Env, opts, rest) -> None:
    words = [w.text for w in rest[1:]]
    paths = "--" in words or opts.has("f", "--force") or any(w in (".", "*") for w in words)
    existing = [w for w in opts.operands if env.exists(w)]
    if paths or existing:
        env.add(Risk.DESTRUCTIVE, "git checkout over files discards their uncommitted changes",
                [env.target_of(w) for w in existing] or [str(env.resolve(".") or ".")])
    else:
        env.add(Risk.WRITE, "git checkout switches branches")


def _restore(env: Env, opts, rest) -> None:
    if opts.has("S", "--staged") and not opts.has("W", "--worktree"):
        env.add(Risk.WRITE, "git restore --staged unstages changes")
    else:
        env.add(Risk.DESTRUCTIVE, "git restore discards uncommitted changes",
                [env.target_of(w) for w in opts.operands])


def _rm(env: Env, opts, rest) -> None:
    if opts.has("", "--cached"):
        env.add(Risk.WRITE, "git rm --cached stops tracking files")
    else:
        env.add(Risk.DESTRUCTIVE, "git rm deletes files", [env.target_of(w) for w in opts.operands])


_DELETING = ("drop", "clear", "delete", "remove", "rm", "prune", "expire")


def _listing_or(env: Env, opts, rest, *, delete: str, create: str, listing: str) -> None:
    """branch / tag / stash / remote / config: listing forms read, deleting forms destroy."""
    sub = rest[0].value
    if opts.has(delete) or any(w.value in _DELETING for w in opts.operands[:1]):
        env.add(Risk.DESTRUCTIVE, f"git {sub} deletes {listing}")
    elif opts.operands and opts.operands[0].value not in ("list", "show", "-v", "get-url"):
        env.add(Risk.WRITE, f"git {sub} {create}")


def _config(env: Env, opts, rest) -> None:
    if opts.has("l", "--list", "--get", "--get-all", "--get-regexp", "--show-origin"):
        return
    values = [w.value for w in opts.operands]
    if values and values[0] in ("list", "get"):
        return
    if values and values[0] == "set":
        values = values[1:]
    if len(values) >= 2:
        key, value = values[0], values[1]
        if key is None or _runs_program(key, value):
            env.add(Risk.UNKNOWN, f"git config {key} makes git run a program")
        else:
            env.add(Risk.WRITE, f"git config sets {key}")
    elif values and values[0] in ("unset", "--unset", "edit"):
        env.add(Risk.WRITE, "git config changes settings")


def _stash(env: Env, opts, rest) -> None:
    if not opts.operands:
        env.add(Risk.WRITE, "git stash puts changes aside")
    else:
        _listing_or(env, opts, rest, delete="", create="stashes or applies changes", listing="stashed changes")


def _remote(env: Env, opts, rest) -> None:
    if opts.operands and opts.operands[0].value == "update":
        env.add(Risk.NETWORK, "git remote update talks to remote repositories")
    else:
        _listing_or(env, opts, rest, delete="", create="changes remotes", listing="a remote")


_SPECIAL = {
    "push": _push,
    "clean": _clean,
    "reset": _reset,
    "checkout": _checkout,
    "restore": _restore,
    "rm": _rm,
    "config": _config,
    "branch": lambda e, o, r: _listing_or(e, o, r, delete="dDM", create="creates or renames a branch",
                                          listing="branches"),
    "tag": lambda e, o, r: _listing_or(e, o, r, delete="d", create="creates a tag", listing="tags"),
    "stash": _stash,
    "remote": _remote,
    "reflog": lambda e, o, r: _listing_or(e, o, r, delete="", create="changes the reflog",
                                          listing="reflog entries"),
    "filter-branch": lambda e, o, r: e.add(Risk.DESTRUCTIVE, "git filter-branch rewrites history"),
    "prune": lambda e, o, r: e.add(Risk.DESTRUCTIVE, "git prune deletes unreachable objects"),
    "update-ref": lambda e, o, r: e.add(Risk.DESTRUCTIVE if o.has("d") else Risk.WRITE, "git update-ref moves refs"),
}

"""Programs in the read-only table are read-only only without some of their options: the ones that
write a file, run a command, or change what later commands do. Each is normalised the way the
program parses it (GNU long-option abbreviations, bundled short flags, attached values)."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .options import parse_options
from .words import Word

# program -> (short letters taking a value, long options taking a value,
#             risky short letters, risky long options, why)
_RISKY: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...], str]] = {
    "tree": ("LPIoH", ("--filelimit", "--timefmt", "--charset"), "o", ("--output",), "writes its listing to a file"),
    "file": ("mfFeP", ("--magic-file", "--files-from", "--separator", "--exclude", "--parameter"), "C",
             ("--compile",), "compiles a magic file (writes it)"),
    "jobs": ("", (), "x", (), "runs a command"),
    "mapfile": ("dnOsuCc", (), "C", (), "runs a callback command"),
    "readarray": ("dnOsuCc", (), "C", (), "runs a callback command"),
    "compgen": ("AGWFCXPSo", (), "CFW", (), "runs or expands text as commands"),
    "complete": ("AGWFCXPSo", (), "CFW", (), "registers commands that run later"),
    "hash": ("pt", (), "p", (), "makes a command name run another program"),
    "history": ("d", (), "wanrspc", (), "writes or changes the history"),
    "man": ("CMPHELmprRSesK", ("--config-file", "--manpath", "--pager", "--html", "--locale", "--systems",
                               "--preprocessor", "--recode", "--sections", "--extension", "--prompt"),
            "PHp", ("--pager", "--html", "--preprocessor", "--browser"), "runs a program of the caller's choice"),
    "info": ("dfnoO", ("--directory", "--file", "--node", "--output", "--dribble", "--restore"), "o",
             ("--output", "--dribble"), "writes to a file"),
    "less": ("bhjkoOpPtTxyz#", ("--log-file", "--LOG-FILE", "--lesskey-file", "--tag", "--tag-file"), "oO",
             ("--log-file", "--LOG-FILE"), "writes its input to a file"),
    "fzf": ("", ("--bind", "--preview", "--listen", "--history", "--with-shell", "--become"), "",
            ("--bind", "--preview", "--listen", "--history", "--with-shell", "--become", "--execute"),
            "runs commands or listens on the network"),
    "fd": ("eEdtcxXj", ("--exec", "--exec-batch", "--extension", "--exclude", "--type"), "xX",
           ("--exec", "--exec-batch"), "runs a command for every file"),
    "fdfind": ("eEdtcxXj", ("--exec", "--exec-batch", "--extension", "--exclude", "--type"), "xX",
               ("--exec", "--exec-batch"), "runs a command for every file"),
    "bat": ("lHmrp", ("--pager", "--language", "--map-syntax"), "", ("--pager",), "runs a pager of the caller's choice"),
    "batcat": ("lHmrp", ("--pager", "--language", "--map-syntax"), "", ("--pager",), "runs a pager of the caller's choice"),
    "yq": ("opI", ("--output-format", "--input-format", "--indent"), "i", ("--inplace",), "edits files in place"),
}
# Subcommands that write: bat cache --build, ...
_RISKY_SUBCOMMANDS = {"bat": {"cache"}, "batcat": {"cache"}}
# Read-only only with these options and nothing else (every other option may change the machine).
_ONLY = {"nvidia-smi": {"-L", "-q", "--list-gpus", "--query"}, "tload": set()}


def check_read_options(env: Env, name: str, argv: list[Word]) -> None:
    if name in _ONLY:
        extra = [w.text for w in argv[1:] if w.value is None or (w.value.startswith("-") and
                 not any(w.value == o or w.value.startswith(o + "=") or w.value.startswith("--query-")
                         for o in _ONLY[name]))]
        if extra:
            env.add(Risk.UNKNOWN, f"{name} {extra[0]}: only listing options are known to be read-only")
        return
    spec = _RISKY.get(name)
    if spec is None:
        return
    with_value, long_with_value, risky_short, risky_long, why = spec
    opts = parse_options(argv[1:], with_value=with_value, long_with_value=long_with_value)
    if (risky_short or risky_long) and opts.has(risky_short, *risky_long):
        env.add(Risk.UNKNOWN, f"{name} with these options {why}")
    if any(opts.value("-" + letter) is not None for letter in risky_short):
        env.add(Risk.UNKNOWN, f"{name} with these options {why}")
    subcommands = _RISKY_SUBCOMMANDS.get(name, set())
    if opts.operands and opts.operands[0].value in subcommands:
        env.add(Risk.UNKNOWN, f"{name} {opts.operands[0].value} writes files")

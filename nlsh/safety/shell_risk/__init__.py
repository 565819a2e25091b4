"""Risk of shell command lines, from parsing their exact text with tree-sitter-bash.

`assess_command(command, cwd)` gives an Assessment (class, reasons, targets);
`simple_commands(command)` gives the literal argv of each simple command, or None.
"""

from .assess import MAX_COMMAND_CHARS, assess_command
from .simple import simple_commands

__all__ = ["MAX_COMMAND_CHARS", "assess_command", "simple_commands"]

"""The built-in tool table, loaded through the `nlsh.tools` entry point like any plugin's."""

from nlsh.tools import files, history, network, processes, shell

TOOLS = [*files.TOOLS, *processes.TOOLS, *network.TOOLS, *shell.TOOLS, *history.TOOLS]

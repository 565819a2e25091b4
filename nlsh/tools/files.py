"""The file tools, as one list for the built-in table: the ones that look at one place (files_read),
the ones that search below a directory (files_find), and the ones that change things and journal
them for undo (files_write)."""

from nlsh.tools.files_find import TOOLS as FIND_TOOLS
from nlsh.tools.files_read import TOOLS as READ_TOOLS
from nlsh.tools.files_write import TOOLS as WRITE_TOOLS

TOOLS = READ_TOOLS + FIND_TOOLS + WRITE_TOOLS

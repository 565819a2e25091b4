"""A command's error output goes where it always went (nlsh's stderr), and its last few kilobytes
are kept: "why did that fail" and "fix it" need to say what the command said.

When nlsh's stderr is a terminal, the command writes into a pseudo-terminal, so it still sees a
terminal there (colours, progress bars) and the bytes are forwarded as they come; otherwise into a
pipe, as before."""

from __future__ import annotations

import os
import threading

KEEP_BYTES = 4096


class ErrorTee:
    def __init__(self, forward_to: int = 2, keep: int = KEEP_BYTES):
        self.forward_to = forward_to
        self.keep = keep
        self._tail = bytearray()
        self._reader: int | None = None
        self._thread: threading.Thread | None = None
        self.fd: int | None = None  # give this to the child as its stderr

    def __enter__(self) -> "ErrorTee":
        if _is_terminal(self.forward_to):
            import pty

            self._reader, self.fd = pty.openpty()
            _copy_window_size(self.forward_to, self.fd)
        else:
            self._reader, self.fd = os.pipe()
        return self

    def started(self) -> None:
        """Call once the child has its copy: close ours, so the end of its output is seen."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        self._thread = threading.Thread(target=self._pump, name="nlsh-stderr", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        reader = self._reader
        while True:
            try:
                chunk = os.read(reader, 65536)
            except OSError:  # EIO: the pseudo-terminal's other side is closed
                break
            if not chunk:
                break
            try:
                os.write(self.forward_to, chunk)
            except OSError:
                pass  # nowhere to show it; still keep it
            self._tail += chunk
            del self._tail[:-self.keep]
        os.close(reader)

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:  # the child never started
            os.close(self.fd)
            self.fd = None
            os.close(self._reader)
        elif self._thread is not None:
            # A background job (`server &`) may hold the output open long after the command ended:
            # its messages keep flowing to the terminal, but nlsh does not wait for them.
            self._thread.join(timeout=0.5)

    @property
    def tail(self) -> str:
        text = bytes(self._tail).decode("utf-8", errors="replace")
        return text.replace("\r\n", "\n")


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _copy_window_size(source: int, target: int) -> None:
    import fcntl
    import termios

    try:
        size = fcntl.ioctl(source, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(target, termios.TIOCSWINSZ, size)
    except OSError:
        pass

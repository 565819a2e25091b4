"""Questions go to the person's terminal (/dev/tty), never to stdin: stdin may be a pipe carrying data
or an attacker's text. Typed-ahead input is flushed first; EOF, Ctrl-C or a timeout mean no."""

from __future__ import annotations

import os
import select
import termios
from typing import Protocol


class Asker(Protocol):
    def ask(self, question: str) -> bool: ...


class Terminal:
    def __init__(self, fd: int, timeout: float = 300.0):
        self.fd = fd
        self.timeout = timeout

    @classmethod
    def open(cls) -> "Terminal | None":
        """The controlling terminal, or None when there is none (cron, CI, a detached script)."""
        try:
            fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
        except OSError:
            return None
        if not os.isatty(fd):
            os.close(fd)
            return None
        return cls(fd)

    def ask(self, question: str) -> bool:
        try:
            return self._ask(question)
        except OSError:  # the terminal went away (hang-up): nobody said yes
            return False

    def _ask(self, question: str) -> bool:
        try:
            termios.tcflush(self.fd, termios.TCIFLUSH)
        except termios.error:
            pass
        os.write(self.fd, f"{question} [y/N] ".encode())
        try:
            answer = self._read_line()
        except KeyboardInterrupt:
            os.write(self.fd, b"\n")
            return False
        if answer is None:
            os.write(self.fd, b"\n(no answer: taken as no)\n")
            return False
        return answer.strip().lower() in ("y", "yes")

    def _read_line(self) -> str | None:
        data = b""
        while not data.endswith(b"\n"):
            ready, _, _ = select.select([self.fd], [], [], self.timeout)
            if not ready:
                return None
            chunk = os.read(self.fd, 256)
            if not chunk:
                return None
            data += chunk
        return data.decode(errors="replace")

    def close(self) -> None:
        os.close(self.fd)

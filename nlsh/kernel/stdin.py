"""Piped input. The model sees a short preview; the data itself goes, whole and untouched, to the
step that reads it, at native speed (os.splice between pipes, or the file itself for `< file`)."""

from __future__ import annotations

import os
import select
import shutil
import stat
import tempfile
import threading
from typing import BinaryIO

PREVIEW_BYTES = 4096
FIRST_WAIT = 2.0  # seconds to wait for the first bytes: an idle pipe (ssh, a parent's open stdin) must not hang planning
PREVIEW_LINES = 5
LINE_CHARS = 200


def describe(sample: bytes) -> str:
    """What the model is told about the data: a few lines of text, or that it is binary."""
    if sample is None:
        return "(nothing has arrived yet)"
    if not sample:
        return "(empty)"
    if b"\0" in sample:
        return "(binary data, not shown)"
    text = sample.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 10:
        return "(binary data, not shown)"
    lines = text.splitlines()[:PREVIEW_LINES]
    return "\n".join(line[:LINE_CHARS] for line in lines)


class PipedInput:
    """Takes over fd `fd`. `preview` is for the model; `take()` hands the full data to one step."""

    def __init__(self, fd: int = 0, first_wait: float = FIRST_WAIT):
        self.fd = fd
        self._taken = False
        self._spool: BinaryIO | None = None  # set by keep_for_many() for a pipe
        self._many = False
        mode = os.fstat(fd).st_mode
        self._regular = stat.S_ISREG(mode)
        if self._regular:
            self._start = os.lseek(fd, 0, os.SEEK_CUR)
            self._head = os.pread(fd, PREVIEW_BYTES, self._start)
            self.preview = describe(self._head)
        else:
            head = self._read_head(first_wait)
            self._head = head or b""
            self.preview = describe(head)

    def _read_head(self, first_wait: float) -> bytes | None:
        ready, _, _ = select.select([self.fd], [], [], first_wait)
        if not ready:
            return None
        chunks = [os.read(self.fd, PREVIEW_BYTES)]
        size = len(chunks[0])
        while chunks[-1] and size < PREVIEW_BYTES:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                break
            chunks.append(os.read(self.fd, PREVIEW_BYTES - size))
            size += len(chunks[-1])
        return b"".join(chunks)

    def keep_for_many(self) -> None:
        """From now on every take() gives the whole input: for plans where several steps read stdin.
        A pipe is read once into an unlinked temporary file (streaming is given up for such plans)."""
        if self._many or self._taken:
            return
        self._many = True
        if not self._regular:
            self._spool = tempfile.TemporaryFile(prefix="nlsh-stdin-")
            self._spool.write(self._head)
            with os.fdopen(os.dup(self.fd), "rb") as rest:
                shutil.copyfileobj(rest, self._spool, 1 << 20)
            self._spool.flush()

    def take(self) -> BinaryIO | None:
        """The whole input as a file for one child process; None once taken (unless kept for many)."""
        if self._many:  # a new open file description each time, so each reader starts at the start
            source = self._spool.fileno() if self._spool else self.fd
            fd = os.open(f"/proc/self/fd/{source}", os.O_RDONLY)
            os.lseek(fd, 0 if self._spool else self._start, os.SEEK_SET)
            return os.fdopen(fd, "rb", buffering=0)
        if self._taken:
            return None
        self._taken = True
        if self._regular:
            return os.fdopen(os.dup(self.fd), "rb", buffering=0)
        read_end, write_end = os.pipe()
        threading.Thread(target=self._feed, args=(write_end,), daemon=True).start()
        return os.fdopen(read_end, "rb", buffering=0)

    def _feed(self, write_end: int) -> None:
        try:
            _write_all(write_end, self._head)
            while True:
                try:
                    moved = os.splice(self.fd, write_end, 1 << 20)
                except OSError:  # splice not possible (e.g. a socket or tty): copy instead
                    data = os.read(self.fd, 1 << 16)
                    _write_all(write_end, data)
                    moved = len(data)
                if not moved:
                    break
        except BrokenPipeError:
            pass  # the reader stopped early (head, grep -q): that is its right
        finally:
            os.close(write_end)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]

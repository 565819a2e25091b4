"""The REPL's line history (up-arrow, Ctrl-R) read from the history store.

prompt_toolkit keeps the loaded lines in memory and puts each new line in front of them itself
(History.append_string); `store_string` is then asked to keep it. The session already records every
request through HistoryStore.begin, so by default nothing more is written here (writing would record
each line twice); pass record=True where lines are not otherwise recorded."""

from __future__ import annotations

import os
from typing import Callable, Iterable

from prompt_toolkit.history import History

from nlsh.store.history import HistoryStore, StoreError


class StoreHistory(History):
    def __init__(
        self,
        store: HistoryStore | None,
        *,
        limit: int = 1000,
        record: bool = False,
        warn: Callable[[str], None] | None = None,
    ):
        super().__init__()
        self._store = store
        self._limit = limit
        self._record = record
        self._warn = warn or (lambda message: None)

    def load_history_strings(self) -> Iterable[str]:
        """Most recent first, as prompt_toolkit expects; an unreadable store gives an empty history."""
        if self._store is None:
            return []
        try:
            return self._store.recent_texts(self._limit)
        except StoreError as exc:
            self._warn(str(exc))
            return []

    def store_string(self, string: str) -> None:
        if not self._record or self._store is None or not string.strip():
            return
        try:
            request_id = self._store.begin(string, cwd=os.getcwd(), mode="repl", model="")
            self._store.finish(request_id, decision="ran", outcome="typed at the prompt", exit_code=0)
        except StoreError as exc:
            self._warn(str(exc))

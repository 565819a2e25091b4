"""Make a conversation fit a token budget: drop the oldest messages first (the request is the last
one and always stays), then cut the middle out of the longest message that is left (a stdin preview
or a listing keeps its beginning and its end)."""

from __future__ import annotations

from typing import Callable

Messages = list[dict[str, str]]
CUT_MARK = "\n[... trimmed to fit the context window ...]\n"


def fit_messages(messages: Messages, count_tokens: Callable[[Messages], int], budget: int) -> Messages:
    messages = [dict(m) for m in messages]
    while len(messages) > 1 and count_tokens(messages) > budget:
        messages.pop(0)
    for _ in range(40):  # each round removes a share of the excess; a few rounds always suffice
        excess = count_tokens(messages) - budget
        if excess <= 0:
            return messages
        longest = max(messages, key=lambda m: len(m["content"]))
        text = longest["content"]
        if len(text) <= len(CUT_MARK):
            break
        # About 3 characters a token; cut a little more than the excess so it converges quickly.
        cut = min(len(text) - 1, max(excess * 4, len(text) // 8, 16) + len(CUT_MARK))
        keep = len(text) - cut
        head = (keep * 2) // 3
        longest["content"] = text[:head] + CUT_MARK + text[len(text) - (keep - head):] if keep > 0 else ""
    if count_tokens(messages) > budget:
        for m in messages:
            m["content"] = m["content"][-200:]
    return messages

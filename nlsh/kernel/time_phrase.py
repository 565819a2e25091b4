"""Find the time expression inside a sentence ("what did I do *in the last 10 minutes*"), using
the same English time parser as `nlsh history --when`, so both read times alike."""

from __future__ import annotations

import re
from datetime import datetime

from nlsh.timeparse import parse_when

MAX_WORDS = 5
# A phrase is only tried when it holds one of these: "in" or "the" alone are not times.
_TIME_WORD = re.compile(
    r"^(?:today|yesterday|tonight|now|last|past|previous|this|since|ago|morning|afternoon|evening|night|"
    r"noon|midnight|week|weeks|month|months|year|years|day|days|hour|hours|minute|minutes|mins?|hrs?|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d[\d:-]*(?:am|pm)?|am|pm)$")
# Words that may lead into a time without being part of it.
_LEADS = ("in the ", "over the ", "during the ", "within the ", "for the ", "the ", "in ", "on ", "at ", "from ", "during ")


def find_time_phrase(words: list[str], now: datetime | None = None) -> tuple[int, int, str] | None:
    """(first word, one past the last word, the phrase as the parser reads it) of the longest time
    expression in WORDS, or None."""
    now = now or datetime.now()
    best: tuple[int, int, str] | None = None
    for start in range(len(words)):
        for end in range(min(len(words), start + MAX_WORDS), start, -1):
            if best is not None and end - start <= best[1] - best[0]:
                break
            chunk = words[start:end]
            if not any(_TIME_WORD.match(w) for w in chunk):
                continue
            phrase = _readable(" ".join(chunk), now)
            if phrase is not None:
                best = (start, end, phrase)
                break
    return best


def _readable(phrase: str, now: datetime) -> str | None:
    candidates = [phrase] + [phrase[len(lead):] for lead in _LEADS if phrase.startswith(lead)]
    for candidate in candidates:
        try:
            parse_when(candidate, now)
        except ValueError:
            continue
        return candidate
    return None

"""Follow-ups: lines about the last request ("fix it", "why did that fail", "explain that", "do it
again", "now the same for *.md", "cancel", "that's not what I meant"), recognised from the whole
line's wording: first a handful of phrasings per kind, then any short line made only of one kind's
words, words pointing at the last request and filler ("try fixing that error", "retry that"). A
line with anything else in it ("explain how rsync works", "stop the server") is not a follow-up."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlsh.kernel.wording import FUNCTION_WORDS

FIX, WHY, EXPLAIN, AGAIN, AMEND, CANCEL, NOT_MEANT = "fix", "why", "explain", "again", "amend", "cancel", "notmeant"

_LAST = r"(?:it|that|this|(?:the|that|this) (?:last |previous )?(?:one|command|request|step|error|problem|issue|thing))"
_CANCEL = r"(?:cancel(?: that| it)?|never ?mind|forget (?:it|that)|abort|stop|no|no thanks|do not do (?:it|that))"

# Matched against the normal form of the whole line (wording.normalize).
PATTERNS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(pattern)) for kind, pattern in [
    (FIX, rf"(?:(?:try to|go) )?(?:fix|correct|repair|sort out)(?: {_LAST})?|make (?:it|that) work|fix (?:it|that) up"),
    (WHY, rf"why(?: did {_LAST} (?:fail|not work|break|error out|go wrong)| did not {_LAST} work"
          rf"| is {_LAST} (?:failing|broken|not working))?|what went wrong|what (?:was|is) the (?:error|problem)(?: with {_LAST})?"
          r"|what happened|what broke"),
    (EXPLAIN, rf"explain(?: {_LAST}| (?:this|that|the last) command| what (?:it|that|you) did)?"
              rf"|what does {_LAST}(?: command)? (?:do|mean)|what did {_LAST} do"),
    (AGAIN, rf"(?:(?:do|run|try|execute) {_LAST} )?again|(?:do|run) {_LAST} (?:once more|one more time)"
            rf"|once more|one more time|repeat(?: {_LAST})?|redo(?: {_LAST})?|same again|re-?run(?: {_LAST})?"
            r"|retry|try again|again please"),
    (CANCEL, rf"{_CANCEL}(?:[,.]? {_CANCEL})*"),
    (NOT_MEANT, r"(?:no,? )?(?:that is |that was |it is |this is )?not what i (?:meant|wanted|asked for)"
                r"|(?:no,? )?(?:that is|that was|this is|it is) (?:wrong|not right)|wrong|not that|no,? not that"),
]]
# For lines no phrasing above covers: each kind's own words...
KIND_WORDS = {
    FIX: {"fix", "fixing", "repair", "correct", "debug"},
    WHY: {"why"},
    EXPLAIN: {"explain", "explaining", "explanation"},
    AGAIN: {"again", "repeat", "redo", "rerun", "retry", "once", "more"},
    CANCEL: {"cancel", "nevermind", "never", "mind", "forget", "abort", "stop", "nope"},
    NOT_MEANT: {"wrong", "meant", "wanted", "mistake"},
}
# ...and words that only point at the last request or fill the sentence.
POINTING = FUNCTION_WORDS | {"last", "previous", "command", "commands", "request", "step", "thing", "error", "problem",
                             "issue", "output", "result", "try", "go", "ok", "okay", "hey", "oops", "now", "please", "time"}
MAX_WORDS = 8
_I_MEANT = re.compile(r"^(?:no[,.]?\s+)?i meant\s+(?P<what>.+)$", re.IGNORECASE)
_EXPLAIN_LINE = re.compile(r"^(?:please\s+)?explain\s+(?P<line>.+)$|^what does\s+(?P<line2>.+?)\s+do\??$", re.IGNORECASE)
_AMEND = re.compile(r"^(?:and )?(?:now |also |and )(?P<rest>.+)|^(?:do )?(?:the )?same(?: thing)?(?: but)? (?P<rest2>(?:for|in|with|on|to) .+)"
                    r"|^(?:run|do) (?:it|that) (?P<rest3>(?:in|with|as|on|for|without|every|twice) .+)")


@dataclass(frozen=True)
class FollowUp:
    kind: str
    argument: str = ""  # "the csv files" in "no, I meant the csv files"; the command line to explain


def parse_followup(normal: str, original: str, looks_like_command) -> FollowUp | None:
    """NORMAL is the line in normal form, ORIGINAL as typed (arguments keep their case);
    LOOKS_LIKE_COMMAND(text) says whether text is a command line ("explain tar -xzf a.tgz")."""
    for kind, pattern in PATTERNS:
        if pattern.fullmatch(normal):
            return FollowUp(kind)
    kind = _kind_by_words(normal)
    if kind is not None:
        return FollowUp(kind)
    meant = _I_MEANT.match(original.strip())
    if meant:
        return FollowUp(NOT_MEANT, meant.group("what").strip())
    explain = _EXPLAIN_LINE.match(original.strip())
    if explain:
        line = (explain.group("line") or explain.group("line2") or "").strip()
        if looks_like_command(line):
            return FollowUp(EXPLAIN, line)
    if _AMEND.match(normal):
        return FollowUp(AMEND, original.strip())
    return None


def _kind_by_words(normal: str) -> str | None:
    """The kind whose words a short line is made of, with nothing else but pointing words."""
    words = re.findall(r"[a-z]+", normal)
    if not words or len(words) > MAX_WORDS or re.search(r"[^\w\s,.!?'-]|(?:^|\s)-", normal):
        return None  # shell characters or a flag (`cancel -a` is CUPS's cancel)
    kinds = {kind for word in words for kind, vocabulary in KIND_WORDS.items() if word in vocabulary}
    if any(w not in POINTING and not any(w in v for v in KIND_WORDS.values()) for w in words):
        return None
    if len(kinds) > 1:
        kinds.discard(AGAIN)  # "fix it again" is a fix
    return kinds.pop() if len(kinds) == 1 else None

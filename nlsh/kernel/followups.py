"""Follow-ups: lines about the last request ("fix it", "why did that fail", "explain that", "do it
again", "now the same for *.md", "cancel", "that's not what I meant"), recognised from the whole
line's wording. Each kind has a handful of phrasings; a line that only mentions such words
("explain how rsync works") is not a follow-up."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIX, WHY, EXPLAIN, AGAIN, AMEND, CANCEL, NOT_MEANT = "fix", "why", "explain", "again", "amend", "cancel", "notmeant"

_LAST = r"(?:it|that|this|the (?:last |previous )?(?:one|command|request|step|error|problem|issue|thing))"
_CANCEL = r"(?:cancel(?: that| it)?|never ?mind|forget (?:it|that)|abort|stop|no|no thanks|do not do (?:it|that))"

# Matched against the normal form of the whole line (wording.normalize).
PATTERNS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(pattern)) for kind, pattern in [
    (FIX, rf"(?:(?:try to|go) )?(?:fix|correct|repair|sort out)(?: {_LAST})?|make (?:it|that) work|fix (?:it|that) up"),
    (WHY, rf"why(?: did {_LAST} (?:fail|not work|break|error out|go wrong)| did not {_LAST} work"
          rf"| is {_LAST} (?:failing|broken|not working))?|what went wrong|what (?:was|is) the (?:error|problem)"
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

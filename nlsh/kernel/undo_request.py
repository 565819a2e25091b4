"""Undo requests in English ("undo that", "undo the last two", "put back the files I deleted",
"restore data.csv") read into what nlsh's undo journal should put back. Undoing in git or a database
("undo the last commit", "restore the database from the backup") is not nlsh's undo: those are
requests for the planner."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlsh.kernel.wording import COUNT, number

_COUNT = rf"(?P<count>{COUNT})"
# Things that have an undo of their own: a request about them goes to the planner.
_OTHER_UNDO = re.compile(r"\b(?:git|commits?|merges?|rebases?|push(?:es)?|pull|stash|branch|migrations?|database|db|"
                         r"backups?|snapshots?|upgrades?|updates?|packages?|install(?:ation)?|settings|defaults?|"
                         r"config(?:uration)?|kernel|system|permissions|docker|containers?|vm)\b")
_THING = r"(?:change|request|thing|one|command|step|operation|action|edit)s?"
_WHAT = (rf"(?:that|it|this|them|everything|all of (?:it|that)|all that|(?:what|everything|all) (?:you|i) (?:just )?did"
         rf"|(?:the|my|your) (?:last|previous|latest) {_THING}|the last {_COUNT}(?: {_THING})?|the changes(?: you made)?"
         rf"|(?:the|that|my) (?:delete|deletion|removal|rename|move|overwrite|edit|change)s?)")
_UNDO = re.compile(rf"(?:undo|revert|reverse|roll ?back|take back)(?: {_WHAT})?|undelete(?: (?P<undelete>.+))?|(?:take|roll) (?:that|it|this) back")
_PUT_BACK = re.compile(r"(?:put|bring|get|move) (?P<a>.+?) back(?: (?P<b>.+))?|(?:put|bring|get) back (?P<c>.+)|(?:restore|recover) (?P<d>.+)")
_DELETED = re.compile(r"\b(?:delet|remov|trash|eras|lost|gone|wip)\w*")
_FILE_NAME = re.compile(r"^(?:the )?(?:file )?(?P<name>[\w.~/-]*\.[\w]{1,8}|[\w.~-]*/[\w./-]*)$")


@dataclass(frozen=True)
class UndoRequest:
    count: int = 1  # the newest COUNT changes that can still be undone
    deleted: bool = False  # only changes that deleted something ("put back the files I deleted")
    path: str | None = None  # only changes to this file ("restore data.csv")
    when: str | None = None  # only changes made then ("restore what I deleted today"), English time words


def parse_undo(normal: str, original: str) -> UndoRequest | None:
    if _OTHER_UNDO.search(normal):
        return None
    match = _UNDO.fullmatch(normal)
    if match:
        count = match.groupdict().get("count")
        deleted = bool(match.group("undelete") or normal == "undelete" or _DELETED.search(normal))
        return UndoRequest(count=number(count) if count else 1, deleted=deleted)
    match = _PUT_BACK.fullmatch(normal)
    if not match:
        return None
    what = " ".join(g for g in match.group("a", "b", "c", "d") if g)
    name = _file_name(original, what)
    if name:
        return UndoRequest(path=name)
    when = _time_words(what)
    if _DELETED.search(what) or re.fullmatch(r"(?:it|that|them|everything|all of it|all)", what.strip()):
        return UndoRequest(deleted=bool(_DELETED.search(what)), when=when)
    return None


def _file_name(original: str, what: str) -> str | None:
    """'restore data.csv' -> 'data.csv', with its case as typed."""
    match = _FILE_NAME.match(what.strip())
    if not match:
        return None
    lowered = match.group("name")
    found = re.search(re.escape(lowered), original, re.IGNORECASE)
    return found.group(0) if found else lowered


def _time_words(text: str) -> str | None:
    from nlsh.kernel.time_phrase import find_time_phrase

    found = find_time_phrase(text.split())
    return found[2] if found else None

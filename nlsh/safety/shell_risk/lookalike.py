"""Characters that make a command look different from what runs: invisible characters, bidi
controls, fullwidth forms and letters from other scripts that look like Latin ones."""

from __future__ import annotations

import re
import unicodedata

# Letters that render like ASCII letters in common fonts (Cyrillic, Greek, a few Latin extras).
CONFUSABLES = dict(zip(
    "аеорсуххіјѕԁԛԝһӏвкмнтАВЕКМНОРСТХУІЈЅοαινκρυτΑΒΕΖΗΙΚΜΝΟΡΤΥΧɡıȷ",
    "aeopcyxxijsdqwhlbkmhtABEKMHOPCTXYIJSoaivkputABEZHIKMNOPTYXgij",
))
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters: one word part, like "home" in /home/x


def char_label(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def is_hidden(char: str) -> bool:
    """True for characters a person cannot see or that reorder what they see."""
    if char in "\n\t":
        return False
    if char in BIDI_CONTROLS:
        return True
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"):
        return True
    return category == "Zs" and char != " "


def looks_like(text: str) -> str:
    """The ASCII text a reader would probably take `text` for."""
    folded = "".join(CONFUSABLES.get(c, c) for c in text)
    return unicodedata.normalize("NFKC", folded)


def lookalike_reason(name: str) -> str | None:
    """Why a command name cannot be trusted, or None for plain ASCII names."""
    if name.isascii():
        return None
    hidden = [c for c in name if is_hidden(c)]
    if hidden:
        return f"contains the invisible character {char_label(hidden[0])}"
    twin = looks_like(name)
    if twin.isascii() and twin != name:
        return f"uses non-ASCII letters that look like {twin!r}"
    return "contains non-ASCII characters"


def hidden_characters(text: str) -> list[tuple[int, str]]:
    return [(i, c) for i, c in enumerate(text) if is_hidden(c)]


def is_fullwidth(char: str) -> bool:
    return "\uff01" <= char <= "\uff5e"


def mixed_word_spans(text: str) -> list[tuple[int, int]]:
    """Spans of letter runs mixing ASCII letters with look-alike letters (/hоme with a Cyrillic
    о), or holding fullwidth forms (ｒｍ). привет.txt mixes nothing: each run is one script."""
    spans = []
    for match in _LETTERS.finditer(text):
        token = match.group()
        if token.isascii():
            continue
        mixes = any(c.isascii() and c.isalpha() for c in token) and any(c in CONFUSABLES for c in token)
        if mixes or any(is_fullwidth(c) for c in token):
            spans.append(match.span())
    return spans


def mixed_words(text: str) -> list[str]:
    return [text[start:end] for start, end in mixed_word_spans(text)]

"""Split argv into options and operands the way most GNU tools do."""

from __future__ import annotations

from dataclasses import dataclass, field

from .words import Word


@dataclass
class Parsed:
    short: set[str] = field(default_factory=set)  # single letters seen (-rf -> r, f)
    long: set[str] = field(default_factory=set)  # long names without value (--force)
    values: dict[str, list[Word]] = field(default_factory=dict)  # option -> its values
    operands: list[Word] = field(default_factory=list)

    def has(self, letters: str = "", *names: str) -> bool:
        """Any of the short letters, or any of the long names as GNU getopt would take them: the
        name written out, or any abbreviation of it (--forc is --force)."""
        written = self.long | set(self.values)
        return bool(self.short & set(letters)) or any(abbreviates(w, n) for n in names for w in written)

    def value(self, *names: str) -> Word | None:
        for name in names:
            for written, values in self.values.items():
                if values and abbreviates(written, name):
                    return values[-1]
        return None


def abbreviates(written: str, name: str) -> bool:
    """GNU programs accept any unambiguous prefix of a long option (and fail on an ambiguous one,
    so reading a prefix as every option it could stand for never lets a write through)."""
    if not name.startswith("--") or len(written) < 3:
        return written == name
    return name.startswith(written)


def parse_options(args: list[Word], with_value: str = "", long_with_value: tuple[str, ...] = (),
                  stop_at_operand: bool = False) -> Parsed:
    """`with_value` lists short letters that take a value (attached or next word);
    `long_with_value` long names (--output x / --output=x). A run-time word counts as an operand."""
    out = Parsed()
    i = 0
    while i < len(args):
        word = args[i]
        text = word.value
        i += 1
        if text is None or text == "-" or not text.startswith("-"):
            out.operands.append(word)
            if stop_at_operand:
                out.operands.extend(args[i:])
                break
            continue
        if text == "--":
            out.operands.extend(args[i:])
            break
        if text.startswith("--"):
            name, eq, attached = text.partition("=")
            if eq:
                out.values.setdefault(name, []).append(Word(attached, attached))
            elif any(abbreviates(name, n) for n in long_with_value) and i < len(args):
                out.values.setdefault(name, []).append(args[i])
                i += 1
            else:
                out.long.add(name)
            continue
        for pos, letter in enumerate(text[1:], start=1):
            if letter in with_value:
                rest = text[pos + 1:]
                if rest:
                    out.values.setdefault("-" + letter, []).append(Word(rest, rest))
                elif i < len(args):
                    out.values.setdefault("-" + letter, []).append(args[i])
                    i += 1
                break
            out.short.add(letter)
    return out

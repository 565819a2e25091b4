"""English time expressions resolved by code, so the model never guesses a date.

`parse_when` turns "last week", "yesterday 3pm", "2 hours ago", "on Monday", "this morning" or an ISO
date into a half-open range [start, end). `parse_bound` gives the one instant a --since / --until
option means. Weeks start on Monday. Results carry the tzinfo of `now` (naive stays naive)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_PARTS_OF_DAY = {  # hour ranges; "night" runs past midnight
    "morning": (6, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
    "night": (18, 30),
}
_UNITS = {
    "s": "second", "sec": "second", "secs": "second", "second": "second", "seconds": "second",
    "m": "minute", "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "month": "month", "months": "month", "mo": "month",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}
_CLOCK = {"second": timedelta(seconds=1), "minute": timedelta(minutes=1), "hour": timedelta(hours=1)}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3}

_EXAMPLES = '"today", "yesterday 3pm", "last week", "2 hours ago", "on Monday", "this morning", "2024-05-01"'


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime
    point: bool = False  # an instant ("2 hours ago", an ISO datetime) rather than a period


def parse_when(text: str, now: datetime) -> tuple[datetime, datetime]:
    """The range [start, end) an English or ISO time expression names, relative to `now`."""
    span = _parse(text, now)
    return span.start, span.end


def parse_bound(text: str, now: datetime, *, end: bool) -> datetime:
    """The instant `--since TEXT` (end=False) or `--until TEXT` (end=True) means: a period gives its
    first or last moment ("--until yesterday" includes yesterday), an instant gives itself."""
    span = _parse(text, now)
    if span.point:
        return span.start
    return span.end if end else span.start


def _parse(text: str, now: datetime) -> Span:
    cleaned = " ".join(text.lower().replace(",", " ").split())
    cleaned = re.sub(r"^(?:on|at|in|during|from)\s+", "", cleaned)
    if not cleaned:
        raise ValueError(f"empty time expression; try {_EXAMPLES}")
    if cleaned.startswith("since "):
        return Span(_parse(cleaned[6:], now).start, now)
    for parser in (_iso, _relative_word, _ago, _last_n, _calendar, _day_with_time):
        span = parser(cleaned, now)
        if span is not None:
            return span
    raise ValueError(f"cannot read {text!r} as a time; try {_EXAMPLES}")


def _midnight(day: datetime) -> datetime:
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def _day(day: datetime) -> Span:
    start = _midnight(day)
    return Span(start, start + timedelta(days=1))


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=index // 12, month=index % 12 + 1, day=1)


def _iso(text: str, now: datetime) -> Span | None:
    if re.fullmatch(r"\d{4}-\d{2}", text):
        if not 1 <= int(text[5:]) <= 12:
            raise ValueError(f"{text!r}: month must be 01-12")
        start = now.replace(year=int(text[:4]), month=int(text[5:]), day=1, hour=0, minute=0, second=0, microsecond=0)
        return Span(start, _add_months(start, 1))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ t].+)?", text):
        return None
    try:
        parsed = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date or date-time (expected YYYY-MM-DD[ HH:MM[:SS]])") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(now.tzinfo) if now.tzinfo else parsed.astimezone().replace(tzinfo=None)
    else:
        parsed = parsed.replace(tzinfo=now.tzinfo)
    if len(text) == 10:
        return _day(parsed)
    # an instant, as wide as the precision it was written with
    width = timedelta(seconds=1) if re.match(r"\d{4}-\d{2}-\d{2}[ t]\d{2}:\d{2}:\d{2}", text) else timedelta(minutes=1)
    return Span(parsed, parsed + width, point=True)


def _relative_word(text: str, now: datetime) -> Span | None:
    if text == "now":
        return Span(now, now, point=True)
    if text == "last night":
        return _part_of_day(now - timedelta(days=1), "night")
    match = re.fullmatch(r"(today|yesterday|tonight|this)(?: (morning|afternoon|evening|night))?", text)
    if not match:
        return None
    word, part = match.groups()
    if word == "this" and part is None:
        return None
    day = now - timedelta(days=1) if word == "yesterday" else now
    if word == "tonight":
        part = "night"
    return _part_of_day(day, part) if part else _day(day)


def _part_of_day(day: datetime, part: str) -> Span:
    first, last = _PARTS_OF_DAY[part]
    start = _midnight(day)
    return Span(start + timedelta(hours=first), start + timedelta(hours=last))


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _ago(text: str, now: datetime) -> Span | None:
    match = re.fullmatch(r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few) ?([a-z]+) ago", text)
    if not match or match.group(2) not in _UNITS:
        return None
    count, unit = _count(match.group(1)), _UNITS[match.group(2)]
    if unit in _CLOCK:  # an instant: "2 hours ago" is the moment two hours before now
        start = now - count * _CLOCK[unit]
        return Span(start, start + _CLOCK[unit], point=True)
    # calendar units name the whole day / week / month / year that many units back
    return _calendar_unit(now, unit, -count)


def _last_n(text: str, now: datetime) -> Span | None:
    """'last 3 days', 'past 2 hours', 'past week': a sliding window ending now."""
    match = re.fullmatch(r"(?:(?:last|past|previous) (\d+|two|three|four|five|six|seven|eight|nine|ten|few|couple of)|past) ([a-z]+)", text)
    if not match or match.group(2) not in _UNITS:
        return None
    word = match.group(1) or "one"
    count = _count(word) or {"few": 3, "couple of": 2}[word]
    unit = _UNITS[match.group(2)]
    if unit in _CLOCK:
        return Span(now - count * _CLOCK[unit], now)
    if unit == "day":
        return Span(now - timedelta(days=count), now)
    if unit == "week":
        return Span(now - timedelta(weeks=count), now)
    months = count if unit == "month" else 12 * count
    back = _add_months(now, -months).replace(day=min(now.day, 28))
    return Span(back, now)


def _calendar_unit(now: datetime, unit: str, offset: int) -> Span:
    """The day / week / month / year containing now, moved by `offset` units."""
    if unit == "day":
        return _day(now + timedelta(days=offset))
    if unit == "week":
        monday = _midnight(now) - timedelta(days=now.weekday()) + timedelta(weeks=offset)
        return Span(monday, monday + timedelta(weeks=1))
    if unit == "month":
        start = _add_months(_midnight(now), offset)
        return Span(start, _add_months(start, 1))
    start = _midnight(now).replace(year=now.year + offset, month=1, day=1)
    return Span(start, start.replace(year=start.year + 1))


def _calendar(text: str, now: datetime) -> Span | None:
    match = re.fullmatch(r"(this|last|previous) (week|month|year)", text)
    if match:
        return _calendar_unit(now, match.group(2), 0 if match.group(1) == "this" else -1)
    match = re.fullmatch(r"(?:(last|this|past) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (morning|afternoon|evening|night))?", text)
    if not match:
        return None
    which, name, part = match.groups()
    target = _WEEKDAYS.index(name)
    if which == "this":  # the named day of the current week, even if still to come
        day = now - timedelta(days=now.weekday() - target)
    else:  # the most recent such day before today
        back = (now.weekday() - target) % 7 or 7
        day = now - timedelta(days=back)
    return _part_of_day(day, part) if part else _day(day)


def _clock(text: str) -> time | None:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))? ?(am|pm)?|noon|midnight", text)
    if not match:
        return None
    if text == "noon":
        return time(12)
    if text == "midnight":
        return time(0)
    hour, minute, second = int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0)
    suffix = match.group(4)
    if suffix is None and match.group(2) is None:
        return None  # a bare number is not a time of day
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r}: hour must be 1-12 with am/pm")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{text!r} is not a time of day")
    return time(hour, minute, second)


def _day_with_time(text: str, now: datetime) -> Span | None:
    """'yesterday 3pm', 'monday at 9:30', '3pm', 'at 15:00': the minute (or hour, for '3pm') named."""
    match = re.fullmatch(r"(?:(.+?) )?(?:at )?(\S+(?: ?[ap]m)?)", text)
    if not match:
        return None
    day_text, clock_text = match.groups()
    moment = _clock(clock_text)
    if moment is None:
        return None
    day = _parse(day_text, now).start if day_text else _midnight(now)
    start = _midnight(day).replace(hour=moment.hour, minute=moment.minute, second=moment.second)
    width = timedelta(hours=1) if re.fullmatch(r"\d{1,2} ?[ap]m|noon|midnight", clock_text) else timedelta(minutes=1)
    return Span(start, start + width, point=True)

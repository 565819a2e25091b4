"""Trimming a conversation to a token budget (a word is a token here)."""

from __future__ import annotations

from nlsh.models.fit import CUT_MARK, fit_messages


def words(messages) -> int:
    return sum(len(m["content"].split()) for m in messages)


def test_fitting_prompt_is_unchanged():
    messages = [{"role": "user", "content": "list the files"}]
    assert fit_messages(messages, words, 10) == messages


def test_oldest_messages_go_first_and_the_request_stays():
    messages = [{"role": "user", "content": "old " * 50}, {"role": "assistant", "content": "ls " * 5},
                {"role": "user", "content": "show disk usage"}]
    fitted = fit_messages(messages, words, 10)
    assert fitted == [{"role": "assistant", "content": "ls " * 5}, {"role": "user", "content": "show disk usage"}]
    assert messages[0]["content"] == "old " * 50  # the caller's list is not changed


def test_a_long_preview_keeps_its_start_and_its_end():
    preview = " ".join(f"w{i}" for i in range(5000))
    messages = [{"role": "user", "content": f"Request: count the lines\n{preview}"}]
    fitted = fit_messages(messages, words, 300)
    text = fitted[0]["content"]
    assert words(fitted) <= 300
    assert text.startswith("Request: count the lines") and text.endswith("w4999") and CUT_MARK in text


def test_impossible_budget_still_returns_something_small():
    fitted = fit_messages([{"role": "user", "content": "x " * 10000}], words, 1)
    assert len(fitted) == 1 and len(fitted[0]["content"]) <= 200

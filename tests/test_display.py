"""Showing untrusted text: output cannot drive the terminal; commands show their exact characters."""

from __future__ import annotations

import pytest

from nlsh.safety.display import neutralize, reveal, suspicious


def test_neutralize_keeps_plain_text_newlines_and_tabs():
    text = "name\tsize\nnotes.txt\t12\n"
    assert neutralize(text) == text


def test_neutralize_drops_colours_and_spells_out_other_escapes():
    text = "\x1b[31mred\x1b[0m \x1b]0;owned\x07 \x1b[2J"
    assert neutralize(text) == "red \\x1b]0;owned\\x07 \\x1b[2J"
    assert "\x1b" not in neutralize(text)


@pytest.mark.parametrize("char, shown", [
    ("\r", "\\r"), ("\x08", "\\x08"), ("\x7f", "\\x7f"), ("\x9b", "\\x9b"), ("\u202e", "\\u202e"),
    ("\u2066", "\\u2066"),
])
def test_neutralize_control_and_bidi_characters(char, shown):
    assert neutralize(f"a{char}b") == f"a{shown}b"


def test_neutralize_shows_undecodable_bytes_as_hex():
    text = b"caf\xe9".decode("utf-8", "surrogateescape")
    assert neutralize(text) == "caf\\xe9"


def test_neutralize_leaves_other_languages_alone():
    assert neutralize("привет 你好 café") == "привет 你好 café"


def test_reveal_plain_command_is_unchanged():
    assert reveal("ls -la | grep x") == "ls -la | grep x"
    assert suspicious("ls -la | grep x") == []


def test_reveal_zero_width_and_bidi():
    assert reveal("ls\u200b -la") == "ls\\u200b -la"
    assert reveal("echo \u202eabc") == "echo \\u202eabc"
    found = suspicious("ls\u200b -la")
    assert any("U+200B" in f for f in found)


def test_reveal_fullwidth_command_name():
    assert reveal("ｒｍ -rf /") == "\\uff52\\uff4d -rf /"
    assert any("'rm'" in f for f in suspicious("ｒｍ -rf /"))


def test_reveal_cyrillic_letter_in_a_path():
    command = "rm -rf /h\u043eme"
    assert reveal(command) == "rm -rf /h\\u043eme"
    assert any("mixes" in f for f in suspicious(command))


def test_reveal_cyrillic_command_name_even_without_latin_letters():
    command = "\u0441\u0430t notes"  # Cyrillic с and а, Latin t
    assert reveal(command) == "\\u0441\\u0430t notes"
    assert reveal("\u0441\u0430\u0442 x").startswith("\\u0441\\u0430\\u0442")


def test_reveal_keeps_whole_words_in_another_script():
    assert reveal("cat привет.txt") == "cat привет.txt"
    assert suspicious("cat привет.txt") == []


def test_reveal_carriage_return_and_escape():
    assert reveal("echo ok\rrm -rf ~") == "echo ok\\rrm -rf ~"
    assert reveal("echo \x1b[8mhidden") == "echo \\x1b[8mhidden"


def test_reveal_non_breaking_space():
    assert reveal("rm\u00a0-rf x") == "rm\\xa0-rf x"

"""The example bank: tldr-pages commands made usable, an FTS5/BM25 index built on first use from the
installed data, examples only for programs this machine has, and a place outside the cached prefix."""

from __future__ import annotations

import sqlite3

import pytest

from nlsh.kernel import retrieval
from nlsh.kernel.context import REFERENCES_HEADING, Facts, build_prompt
from nlsh.kernel.retrieval.bank import Bank, bank_identity, build, match_query, own_pairs, program_of
from nlsh.kernel.retrieval.tldr import Pair, tldr_pairs, usable_command, usable_description
from nlsh.tools.registry import load_registry


@pytest.mark.parametrize("tldr, usable", [
    ("grep {{[-F|--fixed-strings]}} \"{{exact_string}}\" {{path/to/file}}", 'grep -F "exact_string" file'),
    ("du -{{b|k|m}} {{path/to/directory}}", "du -b directory"),
    ("wc {{[-l|--lines]}} {{path/to/file1 path/to/file2 ...}}", "wc -l file1 file2 ..."),
    ("tar xf {{path/to/source.tar}} --wildcards \"{{*.html}}\"", 'tar xf source.tar --wildcards "*.html"'),
    ("pstree", "pstree"),
    ("echo ${{{array_name[@]}}}", "echo ${array_name[@]}"),  # a placeholder inside ${...}
    ("printf '{{%s}} {{", None),  # unbalanced: dropped rather than guessed
])
def test_tldr_commands_become_commands_the_model_can_use(tldr, usable):
    assert usable_command(tldr) == usable


def test_tldr_descriptions_lose_the_letter_marks():
    assert usable_description("E[x]tract a (compressed) archive [f]ile.") == "Extract a (compressed) archive file"


def test_the_packaged_tldr_data_is_read():
    pairs = list(tldr_pairs())
    assert len(pairs) > 20000
    assert not any("{{" in p.command for p in pairs)
    assert any(p.page == "tar" and p.command.startswith("tar ") for p in pairs)


def test_own_examples_are_well_formed():
    pairs = own_pairs()
    assert len(pairs) >= 100
    assert all(p.description.strip() and p.command.strip() and "\n" not in p.command for p in pairs)
    assert len({p.description for p in pairs}) == len(pairs)


def test_program_of_skips_wrappers_and_assignments():
    assert program_of("sudo LC_ALL=C env sort -u x") == "sort"
    assert program_of("find . | wc -l") == "find"


def test_match_query_keeps_the_telling_words_only():
    assert match_query("Show me all the .py files in src") == '"py" OR "files" OR "src"'
    assert match_query("what is it") == ""


def test_bm25_ranks_the_matching_example_first(tmp_path):
    path = tmp_path / "bank.db"
    build(path, [Pair("Compress a file with gzip", "gzip file", "gzip"),
                 Pair("Show the processes as a tree", "pstree", "pstree"),
                 Pair("Count the lines of a file", "wc -l file", "wc")])
    bank = Bank(path)
    assert bank.search("show running processes in a tree", 3)[0] == ("Show the processes as a tree", "pstree", "pstree")
    assert [r[1] for r in bank.search("how many lines has notes.txt", 3)] == ["wc -l file"]
    assert bank.search("the", 3) == []


def test_the_bank_is_built_once_and_rebuilt_when_damaged(tmp_path):
    bank = Bank.open(tmp_path)
    path = tmp_path / f"examples-{bank_identity()}.db"
    assert bank.path == path and path.exists()
    assert bank.search("extract a tar archive", 5)
    bank.close()
    path.write_bytes(b"not a database at all" * 100)
    again = Bank.open(tmp_path)
    assert again.search("extract a tar archive", 5)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary files left behind


def test_only_programs_installed_here_are_shown(tmp_path, monkeypatch):
    retrieval.installed.cache_clear()
    found = retrieval.similar_examples("show running processes as a tree", tmp_path / "cache")
    assert 0 < len(found) <= retrieval.SHOWN
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # nothing installed but the shell's builtins
    retrieval.installed.cache_clear()
    try:
        bare = retrieval.similar_examples("print a text message", tmp_path / "cache")
        assert bare and all(program_of(command) in retrieval.SHELL_WORDS for _, command in bare)
    finally:
        retrieval.installed.cache_clear()


def test_no_cache_directory_means_no_examples_not_a_failure(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert retrieval.similar_examples("extract a tar archive", blocker / "cache") == []


def test_examples_go_into_the_request_message_not_the_cached_prefix(tmp_path):
    specs = load_registry().specs()
    references = [("Count the lines of a file", "wc -l file")]
    with_refs = build_prompt("count lines in a.txt", profile="shell", specs=specs,
                             facts=Facts(tmp_path, references=references))
    without = build_prompt("count lines in a.txt", profile="shell", specs=specs, facts=Facts(tmp_path))
    assert with_refs.system == without.system
    user = with_refs.messages[-1]["content"]
    assert user.index(REFERENCES_HEADING) < user.index("Request: Count the lines of a file\nwc -l file") \
        < user.index("Request: count lines in a.txt")


def test_examples_stay_within_the_budget(tmp_path):
    references = [(f"example number {i} " * 10, "echo " + "x" * 200) for i in range(40)]
    text = Facts(tmp_path, references=references).render(budget=300)
    assert 0 < text.count("Request: example number") < 40
    assert len(text) <= 300 * 3 + 4


def test_specialist_programs_only_when_the_request_names_them():
    from nlsh.kernel.retrieval.programs import may_show

    assert may_show("find", "list big files")
    assert not may_show("docker", "list big files")
    assert may_show("docker", "list my docker containers")
    assert not may_show("git", "make a digit list")  # a word, not part of one


def test_similarity_ranks_meaning_and_examples_below_the_threshold_are_not_shown(tmp_path):
    from nlsh.kernel.retrieval import embed

    if not embed.available():
        pytest.skip("wordllama is not installed")
    near, far = embed.similarities("show running processes as a tree",
                                   ["Display a tree of all processes", "Compress a file with gzip"])
    assert near > retrieval.MIN_SIMILARITY > far
    shown = retrieval.similar_examples("show running processes as a tree", tmp_path)
    assert shown and all(score >= retrieval.MIN_SIMILARITY
                         for score in embed.similarities("show running processes as a tree", [d for d, _ in shown]))
    assert shown[-1] == max(shown, key=lambda pair: embed.similarities("show running processes as a tree", [pair[0]])[0])

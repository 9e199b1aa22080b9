"""The per-text cache of tokens and sentences (annotator.core.segments) and the segmenter
under it: spaCy's Sentencizer on our tokens with the rule layer (annotator.core.sentences)."""
from __future__ import annotations

import hashlib

import pytest

from annotator.core import segments
from annotator.core.sentences import sentencizer_starts, sentences
from annotator.core.tokenize import is_simple, tokenize

TEXT = 'She holds a Ph.D. in law. He said "Stop!" and left.\n\nA title\n\nCosts rose approx. 5 percent.'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(segments.CACHE_DIR_ENV, str(tmp_path))
    return tmp_path


def entry(text: str):
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return segments.cache_dir() / key[:2] / key


def test_segment_equals_the_computed_tokens_and_sentences(cache):
    tokens = tokenize(TEXT)
    expected = (tokens, sentences(TEXT, tokens), True)
    assert segments.segment(TEXT)[:3] == expected  # computed and stored
    assert entry(TEXT).is_file() and entry(TEXT).parent.parent.name == f"segments-{segments.segmenter_version()}"
    assert segments.segment(TEXT)[:3] == expected  # read back
    assert [[TEXT[a:b] for a, b in tokens[f:e]][:3] for f, e in expected[1]] == [
        ["She", "holds", "a"], ["He", "said", '"'], ["A", "title"], ["Costs", "rose", "approx."]]


def test_a_cached_entry_is_what_is_read(cache):
    segments.segment("One. Two.")
    path = entry("One. Two.")
    path.write_bytes(bytes.fromhex("01000000" "01000000" "00000000" "00000000" "03000000" "00000000"))
    assert segments.segment("One. Two.") == ([(0, 3)], [(0, 1)], False, [0], [3])  # the cache is read, not recomputed


@pytest.mark.parametrize("data", [b"", b"\x01\x00", bytes.fromhex("05000000" "01000000" "01000000"),
                                  bytes.fromhex("01000000" "01000000" "01000000" "00000000" "63000000" "00000000"),
                                  bytes.fromhex("01000000" "01000000" "07000000" "00000000" "03000000" "00000000")])
def test_a_bad_entry_is_computed_again(cache, data):
    text = "One. Two."
    segments.segment(text)
    entry(text).write_bytes(data)  # cut short, wrong counts, an offset past the text, a bad flag
    tokens = tokenize(text)
    assert segments.segment(text)[:3] == (tokens, sentences(text, tokens), True)


def test_no_cache_when_the_folder_is_set_empty(monkeypatch):
    monkeypatch.setenv(segments.CACHE_DIR_ENV, "")
    assert segments.cache_dir() is None
    assert segments.segment("A b. C d.")[:3] == ([(0, 1), (2, 3), (3, 4), (5, 6), (7, 8), (8, 9)], [(0, 3), (3, 6)],
                                             True)


def test_a_folder_that_cannot_be_written_leaves_the_result_alone(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(segments.CACHE_DIR_ENV, str(blocker))
    text = "Tr\u00e8s bien. Oui\u200b."
    assert segments.segment(text)[:3] == (tokenize(text), sentences(text, tokenize(text)), is_simple(text))


def test_the_version_names_the_rules_and_spacy():
    version = segments.segmenter_version()
    assert len(version) == 16 and int(version, 16) >= 0


def test_spacy_sentencizer_gives_the_candidates_and_the_rules_correct_them():
    text = 'He said "Stop!" and left. This is it. "Dont worry!"'
    tokens = tokenize(text)
    words = [text[a:b] for a, b in tokens]
    # spaCy's Sentencizer alone: a break before "and" (after the closing quote) and the
    # opening quote of the last sentence kept in the one before
    assert [words[k] for k in sentencizer_starts(text, tokens)] == ["and", "This", "Dont"]
    assert [words[f] for f, _ in sentences(text, tokens)] == ["He", "This", '"']

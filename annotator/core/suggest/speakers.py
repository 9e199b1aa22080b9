"""Speakers: the source mention of a claim (the subject of its cue), its name, and the entity
it refers to.

* :func:`subject_before` takes the noun phrase that ends right before a cue ("U.S. Secretary
  of State Antony Blinken, in his first meeting ..., said" gives the phrase before the
  parenthetical commas); :func:`subject_after` the one right after it ("said Dino Spencer",
  "according to a famous TV journalist").
* :func:`name_of` keeps the proper name of a mention without its titles ("Russian Foreign
  Minister Sergey Lavrov" -> "Sergey Lavrov"); a pronoun is resolved by the caller to the last
  named speaker (:class:`SpeakerMemory`).
* :func:`match_entity` joins a name to a known entity of the project registry: same name or
  alias (case and spacing ignored), else the same last word ("Lavrov" -> "Sergey Lavrov")
  when exactly one entity has it.

No parser is used: words are classed by capitals and small closed word lists; the accuracy
of this on news is measured by ``benchmarks/bench_suggest.py``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from typing import Sequence

from annotator.core.suggest.base import KnownEntity
from annotator.core.suggest.text import Analysis

PRONOUNS = frozenset("he she they i we it you".split())
RELATIVES = frozenset("who which".split())
TITLES = frozenset(
    "president minister secretary senator sen rep gov governor spokesman spokeswoman spokesperson "
    "director chairman chairwoman chair chief mr mrs ms dr judge justice leader ambassador general "
    "gen mayor officer captain capt coach manager ceo prime vice representative congressman "
    "congresswoman commissioner prosecutor attorney chancellor king queen prince princess pope father "
    "rev professor prof dean state foreign affairs defense interior sheriff detective lt col sgt "
    "candidate nominee speaker deputy assistant adviser advisor aide founder executive former "
    "democratic republican u.s us gop".split()
)
_STOP = frozenset(
    "that which who whom whose but because or when while if as after before since then so where "
    "although though than is was were are be been being to not never also has have had will would "
    "could should can may might must do does did said says say told tells added according this".split()
)
_SKIP_BEFORE = frozenset(
    "also later previously recently once often repeatedly publicly privately then further again "
    "initially reportedly allegedly earlier still already simply frequently flatly quickly has have had "
    "will would has_not".split()
)
_PREPOSITIONS = frozenset("in on at after before during with for from by since under over about among into".split())
_AFTER_STOP = _STOP | frozenset("in on at during after when while as to and on last this next".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday yesterday today".split())


def _word(text: str, tok: tuple[int, int]) -> str:
    return text[tok[0]:tok[1]]


def subject_before(an: Analysis, cue_start: int, floor: int, max_tokens: int = 9) -> tuple[int, int] | None:
    """The noun phrase ending right before ``cue_start`` and starting at or after ``floor``
    (the sentence or clause start), as ``(start, end)``; None when there is none."""
    text = an.text
    toks = an.tokens_in(floor, cue_start)
    k = len(toks) - 1
    while k >= 0 and _word(text, toks[k]).lower() in _SKIP_BEFORE:
        k -= 1
    if k >= 0 and _word(text, toks[k]) == ",":  # "X, a veteran diplomat, said"
        commas = [j for j in range(k + 1) if _word(text, toks[j]) == ","]
        starts = [0] + [j + 1 for j in commas[:-1]]
        chunks = list(zip(starts, commas))
        # the nearest chunk before the parenthetical that ends with a name or a pronoun and does
        # not open with a preposition ("since March, when Biden, not long after..., said": "when
        # Biden"; "Leenders, 30, a member..., said": "Leenders"),
        # else the first chunk that does not open with a preposition
        near = [c for a, c in reversed(chunks[:-1]) if a < c and _ends_with_name(_word(text, toks[c - 1]))
                and _word(text, toks[a]).lower() not in _PREPOSITIONS]
        if near:
            k = near[0] - 1
        else:
            for a, c in chunks:
                if a < c and _word(text, toks[a]).lower() not in _PREPOSITIONS | _STOP:
                    k = c - 1
                    break
            else:
                return None
    if k < 0:
        return None
    end = toks[k][1]
    if _word(text, toks[k]) == ")":  # "Harry M. Reid (D-Nev.) said": the parenthesis belongs to the source
        j = k
        while j >= 0 and _word(text, toks[j]) != "(":
            j -= 1
        if j <= 0 or k - j > 8:
            return None
        k = j - 1
    if _word(text, toks[k]).lower() in PRONOUNS | RELATIVES:  # "he said"; "Spencer, who said" (PARC's source is "who")
        return toks[k]
    i = k
    while i >= 0 and k - i < max_tokens:
        w = _word(text, toks[i])
        low = w.lower()
        if not (w[0].isalnum() or w in ".-&’'") or low in _STOP or low in PRONOUNS:
            break
        if low == "and" and not (i > 0 and _word(text, toks[i - 1])[:1].isupper()):
            break
        i -= 1
    i += 1
    while i <= k and not _word(text, toks[i])[0].isalnum():
        i += 1
    if i > k:
        return None
    if _word(text, toks[i]).lower() in _PREPOSITIONS:  # "In a statement Clinton said"
        caps = [j for j in range(i, k + 1) if _word(text, toks[j])[0].isupper() and j > i]
        if not caps:
            return None
        i = caps[0]
        while i > 0 and _word(text, toks[i - 1])[0].isupper() and toks[i - 1][0] > toks[i][0] - 2:
            i -= 1
    words = [_word(text, t) for t in toks[i:k + 1]]
    return (toks[i][0], end) if looks_like_noun_phrase(words) else None


_DETERMINERS = frozenset("the a an his her their its this that these those some many several one two three "
                         "both all most other another each every our my your".split())
_NOT_HEADS = _WEEKDAYS | frozenset("always never actually also just still now then often".split())


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _ends_with_name(word: str) -> bool:
    """A capitalised word that is no title, month or weekday, or a personal pronoun."""
    low = word.lower()
    if low in PRONOUNS and low != "it":
        return True
    return word[:1].isupper() and low not in TITLES and low not in _MONTHS and low not in _WEEKDAYS


def looks_like_noun_phrase(words: list[str]) -> bool:
    """Whether ``words`` can be a speaker: a pronoun, or a phrase with a capitalised word
    (a name), or one that opens with a determiner ("the column"), or a plural ("officials");
    never one that ends with a weekday or an adverb ("Friday", "actually")."""
    if not words or words[-1].lower() in _NOT_HEADS:
        return False
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return True
    return (any(w[:1].isupper() for w in words) or words[0].lower() in _DETERMINERS
            or (words[-1].endswith("s") and not words[-1].endswith("ss")))


_DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,}(?:,[^—–\n]{0,30})?\s*[—–]\s*")


def sentence_subject(an: Analysis, start: int, end: int, max_tokens: int = 8) -> tuple[int, int] | None:
    """The subject at the start of the clause ``text[start:end]`` ("Pence spoke about the
    wall, saying ..." gives "Pence"): a pronoun, or a run of capitalised words, determiners
    and "of"; None when the clause opens otherwise."""
    text = an.text
    m = _DATELINE.match(text, start, end)
    if m:  # "WASHINGTON, Dec. 8 (UPI) — ..."
        start = m.end()
    toks = an.tokens_in(start, end)
    i = 0
    while i < len(toks) and _word(text, toks[i]).lower() in ("but", "and", "so", "yet", "still", "meanwhile", "however", ",", "“", '"'):
        i += 1
    if i >= len(toks):
        return None
    first = _word(text, toks[i])
    if first.lower() in PRONOUNS:
        return toks[i]
    j = i
    while j < len(toks) and j - i < max_tokens:
        w = _word(text, toks[j])
        if not (w[:1].isupper() or (w.lower() in ("of", "the", "’s", "'s", ".", "-") and j > i)):
            break
        j += 1
    if j == i or not any(_word(text, t)[:1].isupper() for t in toks[i:j]):
        return None
    while j > i and not _word(text, toks[j - 1])[0].isalnum():
        j -= 1
    while j > i and _word(text, toks[j - 1]).lower() in ("of", "the"):
        j -= 1
    return (toks[i][0], toks[j - 1][1]) if j > i else None


_SUBJECT_PRONOUNS = frozenset("he she they we i".split())
_INTRO = frozenset("at in on after before during since when while minutes hours days weeks months years later "
                   "earlier meanwhile still but and so yet however last".split())


def participle_subject(an: Analysis, start: int, cue_start: int) -> tuple[int, int] | None:
    """The subject of the clause a participle cue hangs on ("she released a statement
    saying", "Minutes later, she sent an email saying", "Kerpen needled the reporter,
    saying"): the nearest subject pronoun before the cue in ``text[start:cue_start]``, else
    the sentence's subject after an introductory phrase ("At the time, ..."); None when
    neither is found."""
    text = an.text
    toks = an.tokens_in(start, cue_start)
    for k in range(len(toks) - 1, -1, -1):
        if _word(text, toks[k]).lower() in _SUBJECT_PRONOUNS:
            return toks[k]
    commas = [t for t in toks[:-1] if _word(text, t) == ","]
    if commas:  # "In response to ..., Hillary Clinton’s right-hand woman rallied supporters, saying"
        clause = sentence_subject(an, commas[-1][1], cue_start)
        if clause is not None and text[clause[0]].isupper():
            return clause
    if toks and _word(text, toks[0]).lower() in _INTRO:
        comma = next((t for t in toks if _word(text, t) == ","), None)
        if comma is not None:
            start = comma[1]
    return sentence_subject(an, start, cue_start)


def subject_after(an: Analysis, cue_end: int, ceiling: int, max_tokens: int = 8) -> tuple[int, int] | None:
    """The noun phrase starting right after ``cue_end`` and ending before ``ceiling``
    ("said Dino Spencer, who ..." gives "Dino Spencer"), or None."""
    text = an.text
    toks = an.tokens_in(cue_end, ceiling)
    i = 0
    out_end = None
    while i < len(toks) and i < max_tokens:
        w = _word(text, toks[i])
        low = w.lower()
        if not (w[0].isalnum() or (w in ".’'-&" and i > 0)):
            break
        if i > 0 and (low in _AFTER_STOP or low in _WEEKDAYS) and not w[0].isupper():
            break
        if low in _WEEKDAYS:
            break
        if i == 0 and low in _STOP and low not in ("the",):
            return None
        out_end = toks[i][1]
        i += 1
    if out_end is None:
        return None
    start = toks[0][0]
    if text[start:out_end].lower() in PRONOUNS or text[start].isupper() or text[start:out_end].split()[0].lower() in _DETERMINERS:
        return start, out_end
    return None


def name_of(text: str, span: tuple[int, int]) -> str:
    """The proper name in a mention: its last run of capitalised words that are not titles
    or determiners, or the whole mention (spaces normalised) when it has none ("a veteran
    diplomat"; "The report's authors" is itself, never "The"). A possessive
    ’s / 's is never part of it ("Hillary Clinton’s" -> "Hillary Clinton")."""
    words = text[span[0]:span[1]].replace("’s", "").replace("'s", "").split()
    run: list[str] = []
    for w in reversed(words):
        bare = w.strip(".,;:")
        low = bare.lower().strip(".")
        if bare[:1].isupper() and low not in TITLES and low not in _DETERMINERS:
            run.insert(0, bare)
        elif run:
            break
    if run:
        return " ".join(run)
    whole = text[span[0]:span[1]]
    return " ".join(whole[:without_possessive(whole, (0, len(whole)))[1]].split())


_TRAILING_POSSESSIVE = re.compile(r"[’']s$")


def without_possessive(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without a trailing possessive ’s / 's ("Hillary Clinton’s" -> "Hillary
    Clinton"): a speaker mention is the person, not the possessive."""
    m = _TRAILING_POSSESSIVE.search(text, span[0], span[1])
    return (span[0], m.start()) if m and m.start() > span[0] else span


def is_determiner(text: str, span: tuple[int, int]) -> bool:
    """True if ``text[span]`` is a determiner alone ("The"): never a speaker."""
    return text[span[0]:span[1]].strip().lower() in _DETERMINERS


def is_pronoun(text: str, span: tuple[int, int]) -> bool:
    """A personal or relative pronoun (resolved to the last named speaker)."""
    return text[span[0]:span[1]].lower() in PRONOUNS | RELATIVES


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def match_entity(name: str, entities: Sequence[KnownEntity]) -> KnownEntity | None:
    """The known entity ``name`` refers to: one with that name or alias (case and spacing
    ignored), else the only one whose name ends with the same word; None otherwise."""
    key = _key(name)
    if not key:
        return None
    for e in entities:
        if any(_key(n) == key for n in e.names()):
            return e
    last = key.split()[-1]
    same = [e for e in entities if any(_key(n).split()[-1:] == [last] for n in e.names())]
    return same[0] if len(same) == 1 else None


class SpeakerMemory:
    """The named speakers of a document by position, for pronouns and for quotes with no
    cue: :meth:`resolve` gives the name a mention (or no mention) at an offset stands for,
    the last name noted before that offset."""

    def __init__(self) -> None:
        self._names: list[tuple[int, str]] = []
        self._sources: list[tuple[int, object]] = []

    def note(self, text: str, span: tuple[int, int], source: object | None = None) -> None:
        """Remember the mention ``span`` (and its suggestion ``source``) if it has a name."""
        if is_pronoun(text, span):
            return
        name = name_of(text, span)
        if name[:1].isupper():
            insort(self._names, (span[0], name))
            if source is not None:
                insort(self._sources, (span[0], source), key=lambda x: x[0])

    def last_name(self, at: int) -> str | None:
        i = bisect_left(self._names, (at, ""))
        return self._names[i - 1][1] if i else None

    def last_source(self, at: int):
        i = bisect_left([p for p, _ in self._sources], at)
        return self._sources[i - 1][1] if i else None

    def resolve(self, text: str, span: tuple[int, int] | None, at: int) -> str | None:
        if span is None or is_pronoun(text, span):
            return self.last_name(span[0] if span else at)
        return name_of(text, span)

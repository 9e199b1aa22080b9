"""Cues: the words that introduce a claim (PARC 3.0 cue), found from a lexicon.

The lexicon lists English reporting verbs ("say", "tell", "warn"...), verbs of thought
("believe", "think") and phrases ("according to", "point out"), with their inflected forms;
``speech`` verbs may take a direct quote, all of them a that-clause. A cue is the verb with a
preceding auxiliary ("has said", "will say"); "told" keeps its object apart (the object is
not part of the cue in PARC 3.0 corpora such as PolNeAR). Sources of the word lists: the
verb classes of Levin (1993) "verbs of communication" (37) and the most frequent cues of
PARC 3.0 (Pareti 2016), extended by hand.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.suggest.text import Analysis

# lemma -> irregular forms (the regular ones are made by _forms)
_IRREGULAR = {
    "say": ("says", "said", "saying"), "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"), "think": ("thinks", "thought", "thinking"),
    "tweet": ("tweets", "tweeted", "tweeting"), "feel": ("feels", "felt", "feeling"),
    "find": ("finds", "found", "finding"), "show": ("shows", "showed", "shown", "showing"),
    "know": ("knows", "knew", "known", "knowing"), "shoot back": ("shot back",),
    "speak": ("speaks", "spoke", "speaking"), "hold": ("holds", "held"),
}
SPEECH_VERBS = (
    "say tell add ask answer reply respond state explain note argue claim insist warn announce "
    "declare write tweet post continue recall acknowledge admit concede confirm deny report "
    "stress emphasize emphasise predict promise vow urge quip joke complain lament boast "
    "remark observe comment recount describe testify caution counter retort yell shout "
    "scream whisper concur agree disagree suggest estimate point out shoot back affirm "
    "assert allege contend maintain reiterate repeat speculate tout praise criticize "
    "criticise blast slam decry dismiss charge accuse email text call endorse decline refuse reject "
    "condemn applaud rebuke bash cite downplay refer_to"
).replace("point out", "point_out").replace("shoot back", "shoot_back").split()
THOUGHT_VERBS = ("believe think feel hope fear worry expect know reckon doubt wonder find show reveal indicate "
                 "want plan prefer intend appear seem").split()
# verbs whose object is a person told something ("told reporters that ...")
OBJECT_VERBS = frozenset("tell told tells telling warn warned warns assure assured remind reminded inform informed".split())
AUXILIARIES = frozenset("has have had will would could may might also has_not".split())
_DOUBLED = frozenset("admit quip regret commit omit refer plan prefer".split())  # admitted, quipped
_DETERMINERS = frozenset("the a an his her their its our my your this that these those".split())
# verbs that take an object, not a that-clause ("praised the talks as ..."): cues of quotes only
OBJECT_ONLY = frozenset("praise criticize criticise blast slam decry dismiss accuse describe charge tout email text call "
                        "endorse reject condemn applaud rebuke bash cite downplay".split())
PHRASES = ("according to", "in the words of")


def _forms(lemma: str) -> set[str]:
    lemma = lemma.replace("_", " ")
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    if lemma in _IRREGULAR:
        return {lemma, *_IRREGULAR[lemma]}
    if head in _IRREGULAR:
        return {lemma, *(f + tail for f in _IRREGULAR[head])}
    if head.endswith("ee"):
        forms = {head, head + "s", head + "d", head + "ing"}
    elif head in _DOUBLED:
        forms = {head, head + "s", head + head[-1] + "ed", head + head[-1] + "ing"}
    elif head.endswith("e"):
        base = head[:-1]
        forms = {head, head + "s", base + "ed", base + "ing"}
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        forms = {head, head[:-1] + "ies", head[:-1] + "ied", head + "ing"}
    elif head.endswith(("sh", "ch", "ss", "x")):
        forms = {head, head + "es", head + "ed", head + "ing"}
    else:
        forms = {head, head + "s", head + "ed", head + "ing"}
    return {f + tail for f in forms}


SPEECH_FORMS = {form: lemma.replace("_", " ") for lemma in SPEECH_VERBS for form in _forms(lemma)}
THOUGHT_FORMS = {form: lemma for lemma in THOUGHT_VERBS for form in _forms(lemma)}
_MULTI = sorted({f for f in (*SPEECH_FORMS, *THOUGHT_FORMS, *PHRASES) if " " in f}, key=len, reverse=True)
_MULTI_RE = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(m) for m in _MULTI), re.IGNORECASE)


_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_BEFORE_NOUN = frozenset("of in at by with for about on from into under over among several many some few other "
                         "each every any no".split())
# lexicon words that are nouns more often than verbs in news: a verb only after a subject-like word
_NOUNISH = frozenset("state states report reports plan plans tweet tweets email emails comment comments remark "
                     "remarks post posts call calls answer answers estimate estimates note notes claim claims "
                     "promise promises hope hopes fear fears doubt doubts show shows text texts charge charges "
                     "find counter".split())
_SUBJECT_LIKE = frozenset("he she they we i you it who that which to not also has have had will would can could "
                          "may might should must do does did".split())


def _is_noun(low: str, prev: str) -> bool:
    """Whether the lexicon word ``low`` after the token ``prev`` is a noun: after a possessive
    ("Clark’s comments") or a preposition or quantifier ("a series of emails", "several
    states"); a word of :data:`_NOUNISH` also after a lower-case word that cannot be its
    subject ("battleground states", "the president’s plan") or after markup ("<tweet").
    Measured on PolNeAR by benchmarks/bench_suggest.py."""
    if not prev:
        return False
    p = prev.lower()
    if _POSSESSIVE.search(p) or p in _BEFORE_NOUN:
        return True
    if low not in _NOUNISH:
        return False
    if not prev[0].isalnum():
        return prev not in "“\"'‘,—–:;"
    return not (prev[0].isupper() or p in _SUBJECT_LIKE or p.endswith("ly") or (p.endswith("s") and not p.endswith("ss")))


@dataclass(frozen=True)
class Cue:
    """A cue found in the text: ``(start, end)`` of its words (with an auxiliary before it),
    ``lemma`` ("say", "according to"), ``speech`` (it can introduce a direct quote) and
    ``verb_start`` (where the verb itself starts, after the auxiliary)."""

    start: int
    end: int
    lemma: str
    speech: bool
    verb_start: int


def find_cues(analysis: Analysis) -> list[Cue]:
    """Every lexicon cue of the document in text order (single words from the token list,
    phrases by one regular expression)."""
    text = analysis.text
    found: dict[int, Cue] = {}
    for m in _MULTI_RE.finditer(text):
        phrase = m.group(0).lower()
        lemma = SPEECH_FORMS.get(phrase) or THOUGHT_FORMS.get(phrase) or phrase
        found[m.start()] = Cue(m.start(), m.end(), lemma, phrase in SPEECH_FORMS or phrase in PHRASES, m.start())
    covered = {i for c in found.values() for i in range(c.start, c.end)}
    toks = analysis.tokens
    for k, (a, b) in enumerate(toks):
        if a in covered:
            continue
        word = text[a:b]
        low = word.lower()
        lemma = SPEECH_FORMS.get(low)
        speech = lemma is not None
        if lemma is None:
            lemma = THOUGHT_FORMS.get(low)
        prev = text[toks[k - 1][0]:toks[k - 1][1]] if k > 0 else ""
        if lemma is None or prev.lower() in _DETERMINERS or _is_noun(low, prev):
            continue  # a noun: "his brief comments", "the state", "Clark’s comments", "a series of emails"
        if (word[0].isupper() and k > 0 and text[toks[k - 1][0]] not in "“\"'‘.,:;!?—(" ):
            continue  # a capitalised lexicon word inside a sentence is a name ("Post", "Tell")
        found[a] = Cue(a, b, lemma, speech, a)
    cues = []
    for start in sorted(found):
        cue = found[start]
        cues.append(_with_auxiliary(analysis, cue))
    return cues


def _with_auxiliary(analysis: Analysis, cue: Cue) -> Cue:
    """Extend ``cue`` to the auxiliary right before it ("has said", "will say")."""
    text = analysis.text
    m = re.search(r"\b(has|have|had|will|would)\s+$", text[max(0, cue.start - 8):cue.start])
    if m and cue.lemma not in PHRASES:
        return Cue(cue.start - (len(text[max(0, cue.start - 8):cue.start]) - m.start()), cue.end, cue.lemma, cue.speech, cue.start)
    return cue


# What PARC 3.0 corpora (PolNeAR) count as part of a cue around its verb: auxiliaries,
# negation, adverbs and an infinitive "to" before it ("has also urged", "hasn't said",
# "later explained", "to call for"); a colon that opens the quote, a particle the verb takes,
# the day and the setting after it ("said:", "called on", "said Sunday", "said in a statement").
_BEFORE_CUE = frozenset(
    "has have had 's 've 'd ’s ’ve ’d will would can could may might should must shall does did do "
    "is are was were be been being to not n't never also later once still now just even always "
    "actually reportedly repeatedly publicly privately previously recently initially separately "
    "quickly flatly simply frequently often again further already".split()
)
_NEGATED_AUX = re.compile(r"^(?:has|have|had|is|are|was|were|does|did|do|will|would|could|can|should)n[’']t$|^(?:won|can)[’']t$", re.I)
_PARTICLES = {
    "call": ("on", "for"), "speak": ("about", "of", "out"), "worry": ("about",), "know": ("as", "for"),
    "believe": ("in",), "complain": ("about",), "warn": ("of", "about", "against"), "ask": ("about",),
    "comment": ("on",), "insist": ("on",), "agree": ("on",), "disagree": ("on",), "fear": ("for",),
    "hope": ("for",), "think": ("about", "of"), "write": ("about", "of"), "report": ("on",),
    "point out": (), "shoot back": (),
}
_AFTER_SETTING = re.compile(
    r"(?:\s+(?:in|during)\s+(?:a|an|the|his|her|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:statement|interview|email|e-mail|tweet|speech|letter|release|post|call|conference|appearance|video|op-ed|message)"
    r"(?:\s+(?:later|afterward|afterwards))?)?"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:night|morning|afternoon|evening))?)?"
    r"(?::)?"
)
_NOT_ADVERBS = frozenset("only early family rally daily weekly italy july ally reply supply apply".split())
_STATEMENT_BEFORE = re.compile(
    r"\b(?:issued|released|sent|put out|posted|wrote|tweeted|emailed)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|email|e-mail|tweet|letter|message|note|memo)\s*,?\s+$", re.I)
_WORD_BEFORE = re.compile(r"([\w’'-]+|[’']\w+)(\s+)$")


def cue_span(analysis: Analysis, cue: Cue) -> tuple[int, int]:
    """The ``(start, end)`` of ``cue`` as a PARC 3.0 corpus marks it: with the auxiliaries,
    negation, adverbs and infinitive "to" before the verb, and the colon, the particle, the
    setting ("in a statement") and the day after it (see the lists above; measured on
    PolNeAR by ``benchmarks/bench_suggest.py``). "According to" and phrases stay as they are."""
    text = analysis.text
    a, b = cue.start, cue.end
    if cue.lemma in PHRASES:
        return a, b
    while True:  # backwards over "has also", "hasn't", "later", "to"
        m = _WORD_BEFORE.search(text, max(0, a - 24), a)
        if m is None:
            break
        word = m.group(1).lower()
        clitic = re.search(r"[’'](?:s|d|ve)$", word)
        if clitic and word[:clitic.start()] in ("he", "she", "it", "they", "we", "i", "you", "who", "that"):
            a = m.start(1) + clitic.start()  # "he's said": the clitic is part of the cue, the pronoun is not
            break
        if word in _BEFORE_CUE or _NEGATED_AUX.match(word) or (word.endswith("ly") and len(word) > 4 and word not in _NOT_ADVERBS):
            a = m.start(1)
            continue
        break
    m = _STATEMENT_BEFORE.search(text, max(0, a - 60), a)
    if m and text[cue.start:cue.end].lower().endswith("ing"):
        a = m.start()  # "issued a statement saying"
    for particle in _PARTICLES.get(cue.lemma, ()):
        m = re.match(r"\s+%s\b" % particle, text[b:b + 12], re.I)
        if m:
            return a, b + m.end()
    m = _AFTER_SETTING.match(text, b)
    if m and m.end() > b:
        b = m.end()
    return a, b

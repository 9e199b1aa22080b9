"""Direct quotes: text between quotation marks, found by pairing the marks.

Marks handled (Unicode names): QUOTATION MARK ``"`` (straight: opens when no quote is open,
closes otherwise), LEFT/RIGHT DOUBLE QUOTATION MARK ``“ ”``, DOUBLE LOW-9 ``„`` (closed by
``“`` or ``”``, German and Polish style), guillemets ``« »`` and ``» «`` (French and German
style), and the single marks ``‘ ’ ‹ › ‚`` when no double quote is open (British style; a
``’`` between letters is an apostrophe, never a mark). Marks inside an open quote of another
kind are nested quotes and belong to the outer quote.

Two apostrophes ``''`` are a double mark (the New York Times texts of PolNeAR use them).

A quote that is still open at the end of its paragraph runs on when the next paragraph opens
with a quotation mark (the news convention for a quote over several paragraphs: each paragraph
opens, only the last closes); the quote is then one :class:`Quote` with one fragment per
paragraph. A quote still open at the end of its paragraph otherwise ends there.

Offsets are code points; a fragment is the text between the marks, without them and without
surrounding spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPENERS = {"“": "”“", "„": "“”", "«": "»", "»": "«", '"': '"'}
SINGLE_OPENERS = {"‘": "’", "‹": "›", "‚": "‘’", "'": "'"}
QUOTE_MARKS = frozenset("\"“”„«»‘’‚‹›'")


@dataclass(frozen=True)
class Quote:
    """A direct quote: ``fragments`` (the text inside the marks, one per paragraph), and the
    offsets of its first opening mark ``open_at`` and last closing mark ``close_at`` (None
    when it was never closed)."""

    fragments: tuple[tuple[int, int], ...]
    open_at: int
    close_at: int | None

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    @property
    def outer_end(self) -> int:
        """Just after the closing mark (or the end of the text inside)."""
        return self.close_at + 1 if self.close_at is not None else self.end


def after_mark(text: str, at: int) -> int:
    """Where the text inside a quote opened by the mark at ``at`` starts."""
    return at + 2 if text.startswith("''", at) else at + 1


def _trimmed(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _opens(text: str, i: int) -> bool:
    """A straight or single mark at ``i`` opens when it follows space / start / an opening
    bracket or dash, and is followed by a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def paragraph_quotes(text: str, start: int, end: int) -> tuple[list[tuple[int, int, int | None]], int | None]:
    """Pair the marks of the paragraph ``text[start:end]``. Returns the closed quotes as
    ``(open_at, inner_end, close_at)`` triples (``close_at``: the last character of the
    closing mark), and the offset of the mark of a quote left open at the paragraph's end (or
    None). Two apostrophes ``''`` are one double mark."""
    out: list[tuple[int, int, int | None]] = []
    open_at: int | None = None
    closers = ""
    single = False
    skip = -1
    for i in range(start, end):
        ch = text[i]
        if ch not in QUOTE_MARKS or i == skip:
            continue
        if ch == "'" and text.startswith("''", i):  # two apostrophes: a double mark (PolNeAR's NYT texts)
            skip = i + 1
            if open_at is None:
                open_at, closers, single = i, "''", False
            elif closers == "''" or closers == '"':
                out.append((open_at, i, i + 1))
                open_at = None
            continue
        if open_at is None:
            if ch in DOUBLE_OPENERS:
                if ch == "»" and not _opens(text, i):
                    continue  # a closing guillemet with no quote open
                open_at, closers, single = i, DOUBLE_OPENERS[ch], False
            elif ch in SINGLE_OPENERS and _opens(text, i) and not _is_apostrophe(text, i):
                open_at, closers, single = i, SINGLE_OPENERS[ch], True
        elif ch in closers and closers != "''" and not (single and _is_apostrophe(text, i)):
            if ch in DOUBLE_OPENERS and ch == text[open_at] and ch != '"' and ch not in "»«":
                continue  # a second opening mark of the same kind: nested or a typo
            out.append((open_at, i, i))
            open_at = None
    return out, open_at


def _first_closing(text: str, start: int, end: int) -> int | None:
    """The first double mark of ``text[start:end]`` when it can only close a quote (it
    follows a non-space and is followed by a space, punctuation or the end); else None."""
    for i in range(start, end):
        if text[i] in "”\"»“":
            before = text[i - 1] if i > start else " "
            after = text[i + 1] if i + 1 < end else " "
            return i if not before.isspace() and (after.isspace() or after in ".,;:!?)—–") else None
    return None


def find_quotes(text: str, paragraphs: list[tuple[int, int]], max_paragraphs: int = 12) -> list[Quote]:
    """Every direct quote of ``text`` (see the module doc), in text order. ``paragraphs`` are
    ``(start, end)`` pairs in order (:func:`annotator.core.suggest.text.paragraphs`); a quote
    runs over at most ``max_paragraphs`` paragraphs."""
    quotes: list[Quote] = []
    carry: list[tuple[int, int]] = []  # fragments of a quote left open in earlier paragraphs
    carry_open = -1
    for a, b in paragraphs:
        if carry and text[a] not in DOUBLE_OPENERS and text[a] not in "‘‹" and not text.startswith("''", a):
            close = _first_closing(text, a, b)
            if close is not None:  # the quote ran on through paragraphs without opening marks
                frag = _trimmed(text, a, close)
                quotes.append(Quote(tuple(carry + ([frag] if frag else [])), carry_open, close))
                carry = []
                a = close + 1
        elif carry and len(carry) >= max_paragraphs:
            quotes.append(Quote(tuple(carry), carry_open, None))
            carry = []
        closed, left_open = paragraph_quotes(text, a, b)
        if carry:
            if text[a] in DOUBLE_OPENERS or text[a] in "‘‹" or text.startswith("''", a):
                if closed and closed[0][0] == a:
                    first = closed.pop(0)
                    frag = _trimmed(text, after_mark(text, a), first[1])
                    quotes.append(Quote(tuple(carry + ([frag] if frag else [])), carry_open, first[2]))
                    carry = []
                elif left_open == a and len(carry) < max_paragraphs:
                    frag = _trimmed(text, after_mark(text, a), b)
                    if frag:
                        carry.append(frag)
                    continue
                else:
                    quotes.append(Quote(tuple(carry), carry_open, None))
                    carry = []
            else:
                quotes.append(Quote(tuple(carry), carry_open, None))
                carry = []
        for open_at, inner_end, close_at in closed:
            frag = _trimmed(text, after_mark(text, open_at), inner_end)
            if frag:
                quotes.append(Quote((frag,), open_at, close_at))
        if left_open is not None:
            frag = _trimmed(text, after_mark(text, left_open), b)
            if frag:
                carry, carry_open = [frag], left_open
    if carry:
        quotes.append(Quote(tuple(carry), carry_open, None))
    quotes.sort(key=lambda q: q.start)
    return [_with_language_marker(text, q) for q in quotes]


_LANGUAGE_MARKER = re.compile(r"[ \t]*\(\([a-z]{2,3}\)\)")


def _with_language_marker(text: str, q: Quote) -> Quote:
    """``q`` with the language marker that follows its closing mark (``"dangerous" ((it))``:
    Wikinews marks a translated quotation so, and its gold, from GUM, counts the marker as part
    of the quotation): the last fragment then ends after the marker, and so does ``close_at``."""
    if q.close_at is None:
        return q
    m = _LANGUAGE_MARKER.match(text, q.close_at + 1)
    if m is None:
        return q
    return Quote(q.fragments[:-1] + ((q.fragments[-1][0], m.end()),), q.open_at, m.end() - 1)

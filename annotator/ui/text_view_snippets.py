"""A mention shown in its sentence, on one line (the Speakers panel's mentions list, issue 10:
it said "Lee Chan — at 4788"). Pure Python over the stored text, offsets in code points."""
from __future__ import annotations

import re

__all__ = ["mention_in_sentence"]

SNIPPET_REACH = 90  # code points of the sentence kept on each side of a mention, at most
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s|\n")


def mention_in_sentence(text: str, start: int, end: int, reach: int = SNIPPET_REACH) -> str:
    """The sentence around the mention ``text[start:end]`` (code points), on one line, the
    mention in square brackets: ``"… the plan, [Mauer] said on Friday."``. The sentence
    runs from after the last sentence end (``. ! ? …`` with closing quotes, then a space;
    or a line break) before the mention to the first one after it; at most ``reach`` code
    points on each side, cut at a space and marked "…"."""
    lo = max(0, start - reach)
    before = text[lo:start]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        left, cut_left = before[ends[-1].end():], False
    else:
        left, cut_left = before, lo > 0
        if cut_left and " " in left:
            left = left[left.index(" ") + 1:]
    after = text[end:end + reach]
    stop = _SENTENCE_END.search(after)
    if stop:
        right, cut_right = after[:stop.end()].rstrip(), False
    else:
        right, cut_right = after, end + reach < len(text)
        if cut_right and " " in right:
            right = right[:right.rindex(" ")]
    line = f"{'…' if cut_left else ''}{left}[{text[start:end]}]{right}{'…' if cut_right else ''}"
    return " ".join(line.split())

"""String matching: names and aliases of entities already in the project are proposed as
speaker mentions wherever they recur (as INCEpTION's string-matching recommender does).

Matching is on whole words, case-sensitive for names that start with a capital (so "Post"
the newspaper is not "post" the verb), longest name first; a possessive "'s" is left out of
the mention. Offsets are code points.
"""
from __future__ import annotations

import re
from typing import Sequence

from annotator.core.suggest.base import SPEAKER, KnownEntity, SpanSuggestion, Suggestion

VERSION = "1"


class StringMatcher:
    """Suggester of mentions of known entities (``name = "string-match"``). ``min_length``:
    shorter names (initials) are not matched."""

    name = "string-match"
    version = VERSION

    def __init__(self, min_length: int = 3) -> None:
        self.min_length = min_length

    def suggest(self, text: str, known_entities: Sequence[KnownEntity] = ()) -> list[Suggestion]:
        names: dict[str, KnownEntity] = {}
        for e in known_entities:
            for n in e.names():
                n = " ".join(n.split())
                if len(n) >= self.min_length and n not in names:
                    names[n] = e
        if not names:
            return []
        ordered = sorted(names, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered))
        out = []
        for m in pattern.finditer(text):
            key = " ".join(m.group(0).split())
            e = names.get(key)
            if e is None:
                continue
            span = SpanSuggestion(SPEAKER, ((m.start(), m.end()),), "string-match", 0.8)
            out.append(Suggestion(source=span, speaker=e.name, entity_id=e.id))
        return out

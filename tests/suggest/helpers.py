"""Helpers of the suggestion tests: run the rules and find a claim by its text."""
from __future__ import annotations

from annotator.core.suggest.rules import suggest_rules


def claims(text: str):
    """``{claim text (fragments joined by " | "): suggestion}`` of the rules on ``text`` (a cue
    proposed without a claim is left out)."""
    return {" | ".join(text[a:b] for a, b in s.claim.fragments): s for s in suggest_rules(text)
            if s.claim is not None}


def span_text(text: str, span) -> str | None:
    return None if span is None else " | ".join(text[a:b] for a, b in span.fragments)

"""Polarity and intensity of a claim with VADER (Hutto & Gilbert 2014, "VADER: A
Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM; package
``vaderSentiment``, which ships its lexicon: nothing is downloaded).

Mapping (MPQA terms, as the schema has them): VADER's ``compound`` score in ``[-1, 1]``
gives the polarity by the authors' thresholds: ``>= 0.05`` positive, ``<= -0.05``
negative, else neutral; a claim with both a positive and a negative score of at least 0.2
and a compound between the thresholds is ``mixed``. Intensity is ``|compound|``: below
0.35 low, below 0.7 medium, else high (our cut points; see docs/suggestions.md for what
VADER gets right and wrong on news).
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _analyzer():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:  # pragma: no cover - a dependency; kept optional for plug-in use
        return None
    return SentimentIntensityAnalyzer()


def available() -> bool:
    return _analyzer() is not None


def sentiment(text: str) -> tuple[str, str] | None:
    """``(polarity, intensity)`` of ``text``, or None when VADER is not installed."""
    analyzer = _analyzer()
    if analyzer is None:
        return None
    s = analyzer.polarity_scores(text)
    c = s["compound"]
    if c >= 0.05:
        polarity = "positive"
    elif c <= -0.05:
        polarity = "negative"
    elif s["pos"] >= 0.2 and s["neg"] >= 0.2:
        polarity = "mixed"
    else:
        polarity = "neutral"
    size = abs(c)
    intensity = "low" if size < 0.35 else "medium" if size < 0.7 else "high"
    return polarity, intensity

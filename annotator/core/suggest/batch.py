"""Suggestions for many texts, in one process or in several worker processes.

:func:`suggest_texts` yields the engine's suggestions for each text in the order given. With
``jobs > 1`` the texts go to that many worker processes (``multiprocessing``; each builds its
own engine once: the rules, the CRF model file when given, VADER), in chunks, and come back in
order; the caller (``annotator suggest --jobs N``) writes them to the project in its own
process. Whether it pays depends on the free cores: ``benchmarks/bench_suggest.py`` measures
one and two processes over the same 1,000 articles.
"""
from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from annotator.core.suggest.base import KnownEntity, Suggestion

_worker_engine = None


def make_engine(model: str | Path | None = None, sentiment: bool = True):
    """The engine of the command line: the rules, then the CRF of ``model`` when given
    (the order measured best, docs/suggestions.md), VADER when ``sentiment``."""
    from annotator.core.suggest.engine import Engine
    from annotator.core.suggest.rules import RuleSuggester

    suggesters: list = [RuleSuggester()]
    if model is not None:
        from annotator.core.suggest.learned import CRFSuggester

        suggesters.append(CRFSuggester(model))
    return Engine(suggesters, sentiment=sentiment)


def _init(model: str | None, sentiment: bool) -> None:
    global _worker_engine
    _worker_engine = make_engine(model, sentiment)


def _one(job: tuple[str, tuple[KnownEntity, ...], tuple]) -> list[Suggestion]:
    text, known, taken = job
    return _worker_engine.suggest(text, known, taken=taken)


def suggest_texts(jobs_in: Iterable[tuple[str, Sequence[KnownEntity], Sequence]], model: str | Path | None = None,
                  jobs: int = 1, sentiment: bool = True, chunksize: int = 8,
                  batch_size: int = 256) -> Iterator[list[Suggestion]]:
    """Suggestions for each ``(text, known_entities, taken)`` of ``jobs_in``, in order.
    ``jobs``: worker processes (1: this process). ``taken`` is as in
    :meth:`~annotator.core.suggest.engine.Engine.suggest`. ``jobs_in`` is consumed
    ``batch_size`` items at a time."""
    if jobs <= 1:
        engine = make_engine(model, sentiment)
        for text, known, taken in jobs_in:
            yield engine.suggest(text, known, taken=taken)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ctx.Pool(jobs, initializer=_init, initargs=(None if model is None else str(model), sentiment)) as pool:
        batch: list = []
        # ``jobs_in`` is read here, in the caller's thread (it may read a project), a batch at a
        # time: memory stays bounded by the batch, not the corpus
        for text, known, taken in jobs_in:
            batch.append((text, tuple(known), tuple(taken)))
            if len(batch) >= batch_size:
                yield from pool.imap(_one, batch, chunksize)
                batch = []
        if batch:
            yield from pool.imap(_one, batch, chunksize)

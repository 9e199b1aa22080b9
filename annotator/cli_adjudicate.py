"""``annotator adjudicate``: pre-merge what the annotators agree on into the gold layer
(issue 11).

    annotator adjudicate --strategy unanimous|majority|at-least [--min N] [--document ID]... [--project FILE]

An element (a span: same label and fragments; then each of its links and attributes) goes
into gold when enough of the document's annotators made it: all of them (``unanimous``),
more than half (``majority``) or at least N (``at-least --min N``); what the gold layer
already has is kept and never doubled, so running it again adds nothing. Everything is one
edit (the window's Ctrl+Z undoes it). The rule: :func:`annotator.core.adjudication.plan_premerge`.
Registered in :mod:`annotator.cli`; never imports Qt.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from annotator.core.adjudication import AT_LEAST, STRATEGIES, premerge
from annotator.core.errors import InputError


@click.command("adjudicate")
@click.option("--strategy", type=click.Choice(STRATEGIES), required=True,
              help="unanimous: all annotators of a document; majority: more than half; at-least: --min N of them.")
@click.option("--min", "minimum", type=click.IntRange(1), default=None, metavar="N",
              help="With --strategy at-least: how many annotators must agree.")
@click.option("--document", "documents", type=int, multiple=True, metavar="ID",
              help="Only this document (repeatable). Default: every document.")
@click.option("--project", "project", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Project file. Default: the default project.")
@click.pass_context
def adjudicate_command(ctx, strategy, minimum, documents, project) -> None:
    """Pre-merge into the gold layer what enough annotators agree on (one undo step)."""
    from annotator.cli import _project

    if strategy == AT_LEAST and minimum is None:
        raise InputError("--strategy at-least needs --min N (how many annotators must agree)")
    if strategy != AT_LEAST and minimum is not None:
        raise InputError(f"--min is for --strategy at-least, not {strategy}")
    with _project(ctx, project, create=False) as store:
        known = set(store.document_ids())
        unknown = [d for d in documents if d not in known]
        if unknown:
            raise InputError(f"no document {', '.join(map(str, unknown))} in {store.where}")
        change = premerge(store, list(documents) or store.document_ids(), strategy, minimum)
    if change is None:
        click.echo("nothing new to take into gold (nothing agreed, or already in gold)", err=True)
        return
    added = change.spans.added
    counts = Counter(s.label for s in added)
    docs = len({s.document_id for s in added})
    click.echo(f"gold: {len(added)} span{'s' * (len(added) != 1)} added in {docs} document{'s' * (docs != 1)} "
               f"({', '.join(f'{n} {label}' for label, n in sorted(counts.items()))})", err=True)

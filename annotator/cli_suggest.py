"""``annotator suggest`` and ``annotator evaluate``: suggestions from the command line.

    annotator suggest [--project P] [--document ID ...] [--accept] [--model FILE] [--learn] [--jobs N]
    annotator evaluate --gold DIR [--project P] [--model FILE] [--cross-validate K] [--total-only]

``suggest`` writes suggestions (status "suggested"; with ``--accept``, accepted annotations)
into every document of the project, or the ``--document`` ones. ``--learn`` first trains the
learned model from the project's accepted annotations and writes it to ``--model FILE``
(default: ``PROJECT.crfsuite`` beside the project file). ``--jobs N`` computes the
suggestions in N worker processes (:mod:`annotator.core.suggest.batch`); this process writes
them, document by document, in order.

``evaluate`` prints precision, recall and F1 (exact and overlap) for claims, direct quotes,
cues and speakers, and attribution accuracy, per document and in total, for a gold folder
(``*.gold.json`` as in ``shared/corpus/wikinews``, or brat ``.ann`` as PolNeAR). It scores
the suggestions of the engine (rules, then ``--model FILE`` when given; with
``--cross-validate K`` a CRF trained on the other folds of the gold folder, never on the
document it scores), or with ``--project P`` the project's spans (accepted and suggested) of
the documents whose text is a gold text. The measures are defined in
:mod:`annotator.core.suggest.evaluate`.
"""
from __future__ import annotations

from pathlib import Path

import click

from annotator.core.errors import InputError


def _engine(model: Path | None):
    from annotator.core.suggest.batch import make_engine

    if model is not None and not model.is_file():
        raise InputError(f"{model}: no such model file (train one with 'annotator suggest --learn')")
    return make_engine(model)  # rules first: measured best (docs/suggestions.md)


@click.command("suggest")
@click.option("--project", "project", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Project file. Default: the default project.")
@click.option("--document", "documents", type=int, multiple=True, metavar="ID", help="Only this document (repeatable).")
@click.option("--accept", is_flag=True, help="Write accepted annotations instead of suggestions (batch pre-annotation).")
@click.option("--model", type=click.Path(path_type=Path), default=None, metavar="FILE", help="A learned model (CRF) that adds to the rules.")
@click.option("--learn", is_flag=True, help="Train the model from the project's accepted annotations first.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, metavar="N",
              help="Worker processes that compute the suggestions (this one writes them); the known "
                   "entities are those of the project at the start.")
@click.pass_context
def suggest_command(ctx, project, documents, accept, model, learn, jobs) -> None:
    """Suggest claims, cues, speakers and sentiment in the project's documents."""
    from annotator.cli import _project, _project_path
    from annotator.core.suggest import project as bridge

    with _project(ctx, project, create=False) as store:
        if learn:
            from annotator.core.suggest.learned import train

            model = model or _project_path(ctx, project).with_suffix(".crfsuite")
            examples = bridge.training_documents(store)
            if not examples:
                raise InputError("--learn: the project has no accepted claims to learn from")
            train(examples, model)
            click.echo(f"trained {model} on {len(examples)} document{'s' * (len(examples) != 1)}", err=True)
        engine = _engine(model)
        known = bridge.known_entities(store)
        ids = list(documents) or [d.id for d in store.document_infos()]
        existing = {d.id for d in store.document_infos()}
        missing = [i for i in ids if i not in existing]
        if missing:
            raise InputError(f"no document {missing[0]} in the project (see 'annotator stats')")
        total = 0
        status = "accepted" if accept else "suggested"
        if jobs > 1:
            from annotator.core.suggest.batch import suggest_texts

            work = ((store.document_text(i), known, bridge.taken(store, i)) for i in ids)
            for doc_id, found in zip(ids, suggest_texts(work, model, jobs=jobs)):
                total += bridge.write_suggestions(store, doc_id, found, status=status)
        else:
            for doc_id in ids:
                found = engine.suggest(store.document_text(doc_id), known, taken=bridge.taken(store, doc_id))
                total += bridge.write_suggestions(store, doc_id, found, status=status)
                known = bridge.known_entities(store)
    what = "annotations" if accept else "suggested spans"
    click.echo(f"{total} {what} in {len(ids)} document{'s' * (len(ids) != 1)}", err=True)


@click.command("evaluate")
@click.option("--gold", "gold", type=click.Path(path_type=Path), required=True, metavar="DIR",
              help="Gold folder: NAME.txt with NAME.gold.json or NAME.ann (brat).")
@click.option("--project", "project", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Score this project's spans instead of fresh suggestions.")
@click.option("--model", type=click.Path(path_type=Path), default=None, metavar="FILE", help="A learned model that adds to the rules.")
@click.option("--cross-validate", "folds", type=click.IntRange(2, 50), default=None, metavar="K",
              help="Train a CRF on the gold folder by K-fold cross-validation.")
@click.option("--total-only", is_flag=True, help="Print the total only.")
@click.pass_context
def evaluate_command(ctx, gold, project, model, folds, total_only) -> None:
    """Precision, recall and F1 of suggestions (or a project) against a gold folder."""
    from annotator.core.suggest.evaluate import evaluate, report_lines
    from annotator.core.suggest.gold import read_gold_folder

    golds = read_gold_folder(gold)
    project = project or (ctx.obj or {}).get("project")
    if project is not None:
        from annotator.cli import _project
        from annotator.core.suggest.project import stored_as_suggestions

        with _project(ctx, project, create=False) as store:
            by_text = {store.document_text(d.id): d.id for d in store.document_infos()}
            preds = {g.name: stored_as_suggestions(store, by_text[g.text]) if g.text in by_text else [] for g in golds}
            unmatched = [g.name for g in golds if g.text not in by_text]
        if len(unmatched) == len(golds):
            raise InputError(f"{project}: none of the {len(golds)} gold texts is a document of the project")
        for name in unmatched:
            click.echo(f"annotator: note: {name}: not in the project (scored as empty)", err=True)
        predict = lambda g: preds[g.name]  # noqa: E731
    elif folds is not None:
        from annotator.core.suggest.engine import Engine
        from annotator.core.suggest.learned import cross_validate

        preds = cross_validate(golds, folds)
        engine = Engine(sentiment=False)
        predict = lambda g: _combine(engine, g.text, preds[g.name])  # noqa: E731
    else:
        engine = _engine(model)
        engine.sentiment = False
        predict = lambda g: engine.suggest(g.text)  # noqa: E731
    per, total = evaluate(golds, predict)
    for line in report_lines(per, total, per_document=not total_only):
        click.echo(line)


def _combine(engine, text: str, learned: list):
    """The rules' suggestions first, then the model's (as the engine orders them)."""
    from annotator.core.suggest.engine import Engine

    class _Fixed:
        name, version = "crf", "cv"

        def suggest(self, text, known_entities=()):
            return learned

    return Engine([*engine.suggesters, _Fixed()], sentiment=False, string_match=False).suggest(text)

"""``annotator agreement``: agreement between the project's annotators (issue 11).

    annotator agreement [--project FILE] [--json] [--gold NAME] [--hardest N]

The accepted spans of each document are grouped by their ``annotator`` (who made them;
'' = made before annotator names, shown as "(unnamed)"); a claim with its linked source
mention and cue is an attribution. Only documents with spans of at least two annotators are
compared. The measures and the JSON shape: :mod:`annotator.core.agreement`; why these
measures: ``docs/agreement.md``. With ``--gold NAME``, every other annotator is scored
against NAME's layer instead, and the hardest documents are listed.

Registered in :mod:`annotator.cli`; never imports Qt, and imports the measures (NumPy,
SciPy) only when the command runs, so that other commands start as fast as before.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from annotator.core.errors import InputError

UNNAMED = "(unnamed)"


def project_documents(store, without: tuple[str, ...] = ()) -> list:
    """Every document of the open project as a ``DocumentAnnotations``, its accepted spans
    grouped by annotator (documents without a span are left out: nobody annotated them);
    the layers named in ``without`` are left out (the gold layer, between annotators)."""
    from annotator.core.agreement import DocumentAnnotations
    from annotator.core.agreement.convert import annotations_by_annotator

    out = []
    for info in store.document_infos():
        spans = store.spans(info.id)  # accepted spans only: suggestions are nobody's annotation yet
        if not spans:
            continue
        doc = store.document(info.id)
        layers = annotations_by_annotator(spans)
        for name in without:
            layers.pop(name, None)
        if layers:
            out.append(DocumentAnnotations(info.id, info.title, doc.text, layers))
    return out


def project_reports(store, hardest: int = 10) -> dict:
    """What the Agreement dock shows: ``{"between": agreement(...) of the annotators (the
    gold layer left out), "gold": score_against_gold(...) against the gold layer, or None
    when the project has none, "left_out": documents with one annotator}``. Reads the
    store, then computes without it (seconds for thousands of documents: the window runs
    it in a worker thread on its own connection)."""
    from annotator.core.agreement import DocumentAnnotations, agreement, score_against_gold
    from annotator.core.layers import GOLD

    documents = project_documents(store)
    between = [d if GOLD not in d.annotations else
               DocumentAnnotations(d.key, d.title, d.text, {k: v for k, v in d.annotations.items() if k != GOLD})
               for d in documents]
    has_gold = any(GOLD in d.annotations for d in documents)
    return {"between": agreement(between),
            "gold": score_against_gold(documents, GOLD, hardest=hardest) if has_gold else None,
            "left_out": sum(len(d.annotations) < 2 for d in between)}


def _name(who: str) -> str:
    return who or UNNAMED


def _num(value: float | None, width: int = 6) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"


def _report_lines(report: dict, left_out: int, hardest: int) -> list[str]:
    from annotator.core.agreement import hardest_documents

    names = ", ".join(map(_name, report["annotators"]))
    lines = [f"agreement of {len(report['annotators'])} annotators ({names}) on {report['documents']} "
             f"document{'s' * (report['documents'] != 1)}"
             + (f" ({left_out} with one annotator left out)" if left_out else "")]
    lines.append(f"token alpha (Krippendorff, nominal; none/speaker/cue/claim): {_num(report['alpha'], 0)}")
    lines.append(f"{'layer':<12} {'F1 exact':>9} {'F1 overlap':>11} {'alpha':>7}")
    for layer, m in report["layers"].items():
        lines.append(f"{layer:<12} {_num(m['f1_exact'], 9)} {_num(m['f1_overlap'], 11)} {_num(m.get('alpha'), 7)}")
    lines.append("pairs (spans only A has / only B has / both, by overlap):")
    for p in report["pairs"]:
        a, b = map(_name, p["annotators"])
        counts = "  ".join(f"{layer} {c['only_a']}/{c['only_b']}/{c['both_overlap']}" for layer, c in p["layers"].items())
        lines.append(f"  {a} - {b}: {p['documents']} documents, kappa {_num(p['kappa'], 0)}, "
                     f"claim F1 {_num(p['layers']['claim']['f1_exact'], 0)} exact {_num(p['layers']['claim']['f1_overlap'], 0)} overlap; {counts}")
    if report["per_document"]:
        lines.append("hardest documents (lowest token alpha):")
        for d in hardest_documents(report["per_document"], hardest):
            lines.append(f"  alpha {_num(d['alpha'], 0)}  claim F1 overlap {_num(d['layers']['claim']['f1_overlap'], 0)}  "
                         f"#{d['document']} {d['title']}")
    return lines


def _gold_lines(report: dict) -> list[str]:
    from annotator.core.layers import GOLD

    gold = "the gold layer" if report["gold"] == GOLD else f"the gold layer ({_name(report['gold'])})"
    lines = [f"scores against {gold} on {report['documents']} documents"]
    lines.append("precision / recall / F1 by overlap (F1 exact)")
    lines.append(f"{'annotator':<16} {'kappa':>6} " + " ".join(f"{layer:>31}" for layer in ("cue", "claim", "attribution")))
    for a in report["annotators"]:
        cells = []
        for layer in ("cue", "claim", "attribution"):
            m = a["layers"][layer]
            cells.append(f"{_num(m['precision_overlap'], 0)} / {_num(m['recall_overlap'], 0)} / "
                         f"{_num(m['f1_overlap'], 0)} ({_num(m['f1_exact'], 0)})".rjust(31))
        lines.append(f"{_name(a['annotator']):<16} {_num(a['kappa'])} " + " ".join(cells))
    lines.append("hardest documents (lowest mean kappa against the gold):")
    for d in report["hardest"]:
        lines.append(f"  kappa {_num(d['kappa'], 0)}  #{d['document']} {d['title']}")
    return lines


@click.command("agreement")
@click.option("--project", "project", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Project file. Default: the default project.")
@click.option("--json", "as_json", is_flag=True, help="Print the measures as JSON.")
@click.option("--gold", metavar="NAME", default=None, help="Score every annotator against NAME's layer instead.")
@click.option("--hardest", type=click.IntRange(0), default=5, show_default=True, metavar="N",
              help="How many of the hardest documents to list.")
@click.pass_context
def agreement_command(ctx, project, as_json, gold, hardest) -> None:
    """Agreement between annotators: span F1 (exact, overlap), attribution F1, token alpha
    and kappa, per layer, per pair and per document."""
    from annotator.cli import _project
    from annotator.core.agreement import agreement, score_against_gold  # numpy, scipy: only when asked

    from annotator.core.layers import GOLD

    with _project(ctx, project, create=False) as store:
        documents = project_documents(store, without=() if gold is not None else (GOLD,))  # gold is no annotator
    known = sorted({w for d in documents for w in d.annotations})
    if gold is not None:
        if gold not in known:
            raise InputError(f"no annotator {gold!r} in the project (annotators: {', '.join(map(_name, known)) or 'none'})")
        report = score_against_gold(documents, gold, hardest=hardest)
        lines = _gold_lines(report)
    else:
        report = agreement(documents)
        left_out = sum(len(d.annotations) < 2 for d in documents)
        lines = _report_lines(report, left_out, hardest)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif report["documents"]:
        click.echo("\n".join(lines))
    if report["documents"] == 0:
        click.echo("annotator: note: no document has annotations of two annotators "
                   f"(annotators in the project: {', '.join(map(_name, known)) or 'none'}); "
                   "import each one's files with --annotator NAME or merge their projects", err=True)

"""``annotator search`` and ``annotator claims``: find text, speakers and who said what.

    annotator search QUERY [--project P] [--limit N] [--per-document N] [--json]
    annotator claims [--speaker NAME] [--polarity P] [--form F] [--status S] [--text QUERY] [--annotator NAME|all] [--json]

Offsets are code points of the stored text, half-open ``[start, end)``, as in every file
Annotator writes. Registered in :mod:`annotator.cli` with one line each; never imports Qt.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from annotator.cli import _project, _read_layer, layer_option, project_option


class ValueChoice(click.Choice):
    """A claim attribute's values (the default schema's, and '-' for none): a wrong one is
    "bogus is not a polarity (positive, negative, ...)", exit status 2."""

    def __init__(self, attribute: str):
        from annotator.core.schema import load_schema

        self.attribute = attribute
        super().__init__([*load_schema().attributes[attribute], "-"])

    def convert(self, value, param, ctx):
        if value in self.choices:
            return value
        self.fail(f"{value} is not a{'n' * self.attribute.startswith(('a', 'e', 'i', 'o', 'u'))} {self.attribute}"
                  f" ({', '.join(self.choices)})", param, ctx)


@click.command("search")
@click.argument("query")
@project_option
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1),
              help="At most this many documents (and this many speakers); not hits: see --per-document.")
@click.option("--per-document", "per_document", default=20, show_default=True, type=click.IntRange(1), metavar="N",
              help="At most N hits in each document's text (a note says which documents had more).")
@click.option("--json", "as_json", is_flag=True,
              help='Print the hits as JSON (a list of objects; "truncated": true on the hits of a document that had more).')
@click.pass_context
def search_command(ctx, query: str, project: Path | None, limit: int, per_document: int, as_json: bool) -> None:
    """Find QUERY in the project: speakers (names and aliases), titles and text.

    Case and accents are ignored; words match whole words, "word*" a prefix, "a phrase"
    in quotes the words in a row; Chinese, Japanese and Korean parts match anywhere. Each
    hit: document id and title, [start, end) in code points, the hit in context."""
    from annotator.core.store.search import search

    with _project(ctx, project, create=False) as store:
        hits = search(store, query, limit=limit, per_document=per_document)
    cut = {h.document_id: h.title for h in hits if h.truncated}
    for doc_id, title in cut.items():
        click.echo(f"annotator: note: document {doc_id} {title!r} has more than {per_document} hits;"
                   f" only the first {per_document} are shown (--per-document N for more)", err=True)
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"annotator: nothing found for {query!r}", err=True)
        return
    for h in hits:
        where = f"{h.document_id} {h.title!r}" if h.document_id is not None else "(no mention)"
        what = {"speaker": f"speaker {h.speaker}", "claim": f"claim by {h.speaker or '(no speaker)'}",
                "title": "title", "text": "text"}[h.kind]
        click.echo(f"{where} [{h.start}, {h.end}) {what}: {h.before}[{h.match}]{h.after}")


@click.command("claims")
@project_option
@click.option("--speaker", metavar="NAME", help="Speaker whose name or alias contains NAME ('-': no speaker).")
@click.option("--polarity", metavar="VALUE", type=ValueChoice("polarity"), help="Polarity (positive, negative, neutral, mixed; '-': none).")
@click.option("--form", metavar="VALUE", type=ValueChoice("form"), help="Form (direct, indirect, mixed; '-': none).")
@click.option("--status", metavar="STATUS", help="Status of the claim's document (new, in progress, done).")
@click.option("--text", metavar="QUERY", help="The claim's text matches QUERY (as in 'annotator search').")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many claims.")
@layer_option
@click.option("--json", "as_json", is_flag=True, help="Print the claims as JSON (a list of objects).")
@click.pass_context
def claims_command(ctx, project, speaker, polarity, form, status, text, limit, annotator, as_json) -> None:
    """Who said what: the project's claims that pass every filter given, by document and
    position (document id and title, [start, end) in code points, speaker, form, polarity,
    the claim's text), of one layer as exports take it: the gold layer when there is one,
    else every layer (--annotator NAME: NAME's; --annotator all: every layer)."""
    from annotator.core.store.search import query_claims

    with _project(ctx, project, create=False) as store:
        layer = _read_layer(ctx, store, annotator, "listing")
        rows = query_claims(store, speaker=speaker, polarity=polarity, form=form, status=status, text=text,
                            limit=limit, layer=layer)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("annotator: no claims pass these filters", err=True)
        return
    for r in rows:
        attrs = ", ".join(v for v in (r.form, r.polarity, r.intensity) if v)
        click.echo(f"{r.document_id} {r.title!r} [{r.start}, {r.end}) {r.speaker or '(no speaker)'}"
                   f"{f' ({attrs})' if attrs else ''}: {' '.join(r.text.split())}")

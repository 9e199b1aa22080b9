"""The CoNLL writer's fast line building (tags made once per label, lines built by maps and
one join per document) gives byte for byte what a line-by-line writer gives: the writer as it
was before (kept here as the reference) on a generated set of documents with overlaps,
discontinuous spans, spans inside tokens, chunks across sentence breaks, every column mode."""
from __future__ import annotations

import io
import random

import pytest

from annotator.core.model import Document, Span
from annotator.core.schema import load_schema
from annotator.core.token_align import align_spans, export_segments, keep_first
from annotator.formats import conll
from annotator.formats.conll import _check_options, plan_columns, tag_names, write_conll
from annotator.formats.registry import ExportItem

WORDS = ["Acme", "Bank", "chief", "Maria", "Lopez", "said", "profits", "rose", "sharply", "in", "the", "third",
         "quarter", "Kundennummer2785708", "Zürich", "naïve", "\u6771\u4eac", "U.S.", "don't", "e-mail"]
LABELS = ["speaker", "cue", "claim", "PERSON", "ORG", "Org"]


def generated_items(n: int, seed: int) -> list[ExportItem]:
    """``n`` documents of several sentences each (some with double spaces and line breaks),
    with random spans: many overlapping, some discontinuous, some with an edge inside a
    token or on whitespace, some running across a sentence break."""
    rng = random.Random(seed)
    items = []
    for doc_id in range(1, n + 1):
        sentences = []
        for _ in range(rng.randint(0, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(1, 12))]
            sentences.append(" ".join(words) + rng.choice([".", "!", "?", ""]))
        text = rng.choice([" ", "  ", "\n", "\n\n"]).join(sentences)
        spans = []
        for k in range(rng.randint(0, 15) if text else 0):
            fragments = []
            a = rng.randrange(len(text))
            for _ in range(rng.choice([1, 1, 1, 2])):
                b = min(len(text), a + rng.randint(1, 40))
                fragments.append((a, b))
                a = b + rng.randint(1, 10)
                if a >= len(text):
                    break
            spans.append(Span(k + 1, doc_id, rng.choice(LABELS), tuple(fragments)))
        spans.sort(key=lambda s: (s.start, s.end, s.id))
        items.append(ExportItem(Document(doc_id, "t", text), spans, []))
    return items


def reference_conll(items: list[ExportItem], stream, schema, **options) -> None:
    """The lines of the writer before it was made fast (one list comprehension per document,
    one join per sentence): the reference the fast writer is compared with."""
    layer, columns = _check_options(items, schema, options)
    plan = plan_columns(items, schema, layer, columns)
    tags_of, _ = tag_names(name for _, labels in plan for name in labels)
    if len(plan) > 1:
        column_names, _ = tag_names(name for name, _ in plan)
        plan = [(column_names[name], labels) for name, labels in plan]
    sep = "\t" if columns == "multi" else " "
    wanted = {name for _, labels in plan for name in labels}
    head = sep.join(["-DOCSTART-"] + ["O"] * len(plan)) + "\n\n"
    for item in items:
        text = item.document.text
        spans = [s for s in item.spans if s.label in wanted]
        found = export_segments(text, spans)
        tokens = found.tokens
        aligned, _ = align_spans(item.document.id, text, tokens, spans)
        tags = [["O"] * len(tokens) for _ in plan]
        for column, (name, labels) in zip(tags, plan):
            mine = [t for t in aligned if t.span.label in labels]
            if mine:
                for t in keep_first(item.document.id, text, mine, schema, "dropped")[0]:
                    tag = tags_of[t.span.label]
                    for first, end in t.ranges:
                        column[first] = f"B-{tag}"
                        for k in range(first + 1, end):
                            column[k] = f"I-{tag}"
        rows = [sep.join(cols) for cols in zip([text[a:b] for a, b in tokens], *tags)]
        out = [head]
        for first, end in found.sentences:
            if first and any(column[first][0] == "I" for column in tags):
                out[-1] = out[-1][:-1]
            out.append("\n".join(rows[first:end]) + "\n\n")
        stream.write("".join(out))


@pytest.mark.parametrize("options", [{}, {"columns": "multi"}, {"layer": "claim"}, {"layer": "ORG"}])
def test_fast_lines_are_byte_identical_to_the_reference(options):
    items = generated_items(120, seed=8)
    schema = load_schema()
    fast, slow = io.StringIO(), io.StringIO()
    write_conll(items, fast, schema, **options)
    reference_conll(items, slow, schema, **options)
    assert fast.getvalue() == slow.getvalue()
    assert fast.getvalue().count("-DOCSTART-") == 120


def test_generated_set_has_what_the_comparison_needs():
    """The generated set holds the cases the fast path must get right (else the comparison
    above proves little): sentence breaks, chunks joined across a break, overlaps, empty
    documents."""
    items = generated_items(120, seed=8)
    out = io.StringIO()
    report = write_conll(items, out, load_schema())
    text = out.getvalue()
    assert text.count("\n\n") - text.count("-DOCSTART-") > 120  # sentence breaks
    assert any("overlaps" in line for line in report.dropped)
    assert any(not item.document.text for item in items)
    joined = 0
    for item in items:
        found = export_segments(item.document.text, item.spans)
        joined += len(found.sentences) > 1
    assert joined > 40


def test_sentences_that_do_not_tile_the_tokens_are_written_line_by_line():
    """The slow path of :func:`conll._document_lines` (sentences with a gap or an empty one,
    never made by the segmenter) writes each sentence with its blank line, and joins a
    sentence whose first token continues a chunk."""
    text = "a b c d"
    starts, ends = [0, 2, 4, 6], [1, 3, 5, 7]
    tags = [[" B-X", " I-X", " O", " O"]]
    assert conll._document_lines(text, starts, ends, [(0, 1), (1, 2), (2, 2), (3, 4)], tags, "H\n\n", str.__add__) == (
        "H\n\na B-X\nb I-X\n\n\n\nd O\n\n")
    assert conll._document_lines(text, starts, ends, [(0, 2), (3, 4)], tags, "H\n\n", str.__add__) == (
        "H\n\na B-X\nb I-X\n\nd O\n\n")
    assert conll._document_lines(text, starts, ends, [], tags, "H\n\n", str.__add__) == "H\n\n"

"""Real articles through the command line: gold quotes and mentions survive import -> export.

Data: tests/data/wikinews/ (8 GUM Wikinews articles with gold quotes and person /
organization mentions; text CC BY 2.5 Wikinews, annotations CC BY 4.0 GUM) and
tests/data/seed/ (the seed article with hand-made gold and attributions), copied from
/work/shared/corpus. Offsets in the gold files are code points into the UTF-8, LF text.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

DATA = Path(__file__).parent / "data"
WIKINEWS = sorted((DATA / "wikinews").glob("*.gold.json"))
SEED = DATA / "seed" / "us_russia_talks.gold.json"
GOLDS = [*WIKINEWS, SEED]


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "userdata"))


def cli(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stderr


def text_of(gold_path: Path) -> str:
    return gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".txt").read_bytes().decode("utf-8")


def native_document(gold_path: Path, grouped: bool = False) -> dict:
    """The gold file as a native document: mentions as speaker spans of their chain's entity,
    quotes as claims (one per quote, or with ``grouped`` one discontinuous claim per group);
    for the seed, attributions set each claim's speaker and source mention."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    spans = [{"id": f"m{n}", "label": "speaker", "start": m["start"], "end": m["end"], "text": m["text"], "entity": m["entity"]}
             for n, m in enumerate(gold["mentions"])]
    by_quote = {a["quote"]: a for a in gold.get("attributions", [])}
    groups: dict[object, list[int]] = defaultdict(list)
    for n, q in enumerate(gold["quotes"]):
        groups[q.get("group", ("alone", n)) if grouped else n].append(n)
    for key, members in groups.items():
        claim = {"id": f"q{members[0]}", "label": "claim",
                 "fragments": [[gold["quotes"][n]["start"], gold["quotes"][n]["end"]] for n in members]}
        if len(members) == 1:
            claim["text"] = gold["quotes"][members[0]]["text"]
        attribution = by_quote.get(members[0])
        if attribution:
            claim["speaker"] = attribution["entity"]
            claim["source"] = None if attribution["mention"] is None else f"m{attribution['mention']}"
        spans.append(claim)
    return {"id": gold["doc"], "title": gold["title"], "text": text_of(gold_path), "source": gold.get("source_url") or "",
            "entities": [{"id": e["id"], "name": e["name"], "type": e["type"]} for e in gold["entities"]],
            "spans": spans}


def write_native(path: Path, docs: list[dict]) -> Path:
    path.write_text(json.dumps({"format": "annotator", "version": 1, "documents": docs}, ensure_ascii=False), encoding="utf-8")
    return path


def export(project: Path, out: Path) -> dict:
    cli("export", "--format", "json", "--project", project, "--output", out)
    return json.loads(out.read_text(encoding="utf-8"))


def check_against_gold(doc: dict, gold_path: Path, grouped: bool = False) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert doc["text"] == text_of(gold_path)
    names = {e["id"]: (e["name"], e["type"]) for e in doc["entities"]}
    spans = {s["id"]: s for s in doc["spans"]}
    claims = [s for s in doc["spans"] if s["label"] == "claim"]
    mentions = [s for s in doc["spans"] if s["label"] == "speaker"]
    for s in doc["spans"]:
        if len(s["fragments"]) == 1:
            assert s["text"] == doc["text"][s["start"]:s["end"]]
    # quotes: same offsets and text
    want_quotes = sorted((q["start"], q["end"], q["text"]) for q in gold["quotes"])
    got_quotes = sorted((a, b, doc["text"][a:b]) for s in claims for a, b in s["fragments"])
    assert got_quotes == want_quotes
    if grouped:
        want_groups = defaultdict(list)
        for n, q in enumerate(gold["quotes"]):
            want_groups[q.get("group", ("alone", n))].append([q["start"], q["end"]])
        assert sorted(s["fragments"] for s in claims) == sorted(want_groups.values())
    # mentions: same offsets, text, and grouping into entities with the gold names and types
    assert sorted((s["start"], s["end"], s["text"]) for s in mentions) == sorted((m["start"], m["end"], m["text"]) for m in gold["mentions"])
    gold_entity = {e["id"]: e for e in gold["entities"]}
    want, got = defaultdict(set), defaultdict(set)
    for m in gold["mentions"]:
        want[m["entity"]].add((m["start"], m["end"]))
    for s in mentions:
        got[s["entity"]].add((s["start"], s["end"]))
    assert sorted(map(sorted, want.values())) == sorted(map(sorted, got.values()))
    for entity_id, members in got.items():
        gold_id = next(m["entity"] for m in gold["mentions"] if (m["start"], m["end"]) in members)
        assert names[entity_id] == (gold_entity[gold_id]["name"], gold_entity[gold_id]["type"])
    # attributions (seed): speaker entity and source mention
    extent = {(m["start"], m["end"]): n for n, m in enumerate(gold["mentions"])}
    for attribution in gold.get("attributions", []):
        q = gold["quotes"][attribution["quote"]]
        claim = next(s for s in claims if [q["start"], q["end"]] in s["fragments"])
        assert names[claim["speaker"]][0] == gold_entity[attribution["entity"]]["name"]
        if attribution["mention"] is None:
            assert claim["source"] is None
        else:
            source = spans[claim["source"]]
            assert extent[(source["start"], source["end"])] == attribution["mention"]


@pytest.mark.parametrize("grouped", [False, True], ids=["one-claim-per-quote", "discontinuous-groups"])
def test_gold_survives_import_and_export(tmp_path, grouped):
    files = [write_native(tmp_path / f"{g.name.removesuffix('.gold.json')}.json", [native_document(g, grouped)]) for g in GOLDS]
    project = tmp_path / "p.db"
    summary = cli("import", *files, "--project", project)
    spans = sum(len(native_document(g, grouped)["spans"]) for g in GOLDS)
    assert summary.strip() == f"imported {len(GOLDS)} documents ({spans} spans)"
    first = export(project, tmp_path / "first.json")
    assert len(first["documents"]) == len(GOLDS)
    for doc, gold_path in zip(first["documents"], GOLDS):
        check_against_gold(doc, gold_path, grouped)
    # B17 on real data: the export imports into an empty project and exports identically
    cli("import", tmp_path / "first.json", "--project", tmp_path / "again.db")
    second = export(tmp_path / "again.db", tmp_path / "second.json")
    assert second == first
    # and into the same project it is recognised, not duplicated
    assert f"skipped {len(GOLDS)}" in cli("import", tmp_path / "first.json", "--project", project)


def test_entities_with_the_same_name_in_one_article_stay_apart(tmp_path):
    gold_path = DATA / "wikinews" / "iodine.gold.json"  # two different chains are both called "we"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert sum(e["name"] == "we" for e in gold["entities"]) == 2
    cli("import", write_native(tmp_path / "iodine.json", [native_document(gold_path)]), "--project", tmp_path / "p.db")
    doc = export(tmp_path / "p.db", tmp_path / "out.json")["documents"][0]
    assert sum(e["name"] == "we" for e in doc["entities"]) == 2


def test_articles_import_as_text_unchanged(tmp_path):
    texts = sorted((DATA / "wikinews").glob("*.txt")) + [DATA / "seed" / "us_russia_talks.txt"]
    project = tmp_path / "p.db"
    assert cli("import", *texts, "--project", project).strip() == f"imported {len(texts)} documents (0 spans)"
    docs = export(project, tmp_path / "out.json")["documents"]
    for doc, path in zip(docs, texts):
        raw = path.read_bytes()
        assert doc["text"] == raw.decode("utf-8")
        assert doc["title"] == raw.decode("utf-8").split("\n")[0].strip()
        assert hashlib.sha256(doc["text"].encode("utf-8")).hexdigest() == hashlib.sha256(raw).hexdigest()
    for gold_path in GOLDS:  # the gold files' text_sha256 is the hash of the file's bytes
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        assert gold["text_sha256"] in {hashlib.sha256(d["text"].encode("utf-8")).hexdigest() for d in docs}

"""``annotator search`` and ``annotator claims`` on a project file, through click."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store

TEXT = "Officials in Zürich said on Monday: “Le café est fermé.” 😀 The mayor said “the bridge will open.”"


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.db"
    store = Store.open(path)
    q1, q2 = TEXT.index("Le café"), TEXT.index("the bridge")
    store.import_documents([NewDocument(
        title="Zürich news", text=TEXT,
        entities=[NewEntity("e1", "Zürich officials", aliases=("Officials",)), NewEntity("e2", "Mayor Brandt")],
        spans=[NewSpan("m1", "speaker", ((0, 9),), entity="e1"),
               NewSpan("c1", "claim", ((q1, q1 + 19),), speaker="e1", polarity="negative", form="direct"),
               NewSpan("c2", "claim", ((q2, q2 + 21),), speaker="e2", polarity="positive", form="direct")])])
    store.close()
    return path


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_search_prints_document_offsets_and_context(project):
    result = invoke("search", "cafe", "--project", project)
    assert result.exit_code == 0, result.output
    start = TEXT.index("café")
    assert result.output == (f"1 'Zürich news' [{start}, {start + 4}) claim by Zürich officials: "
                             "Officials in Zürich said on Monday: “Le [café] est fermé.” 😀 The mayor said “the…\n")


def test_search_json_offsets_are_code_points(project):
    result = invoke("search", "bridge", "--project", project, "--json")
    assert result.exit_code == 0, result.output
    (hit,) = json.loads(result.output)
    assert TEXT[hit["start"]:hit["end"]] == "bridge"  # after the emoji: code points, not UTF-16
    assert (hit["kind"], hit["document_id"], hit["title"], hit["speaker"]) == ("claim", 1, "Zürich news", "Mayor Brandt")


def test_search_finds_speakers_by_alias(project):
    result = invoke("search", "officials", "--project", project, "--json")
    kinds = [(h["kind"], h["speaker"]) for h in json.loads(result.output)]
    assert kinds[0] == ("speaker", "Zürich officials")


def test_search_nothing_found_says_so(project):
    result = invoke("search", "zebra", "--project", project)
    assert result.exit_code == 0 and result.output == "annotator: nothing found for 'zebra'\n"


def test_search_of_a_missing_project_is_one_error_line(tmp_path):
    result = invoke("search", "x", "--project", tmp_path / "none.db")
    assert result.exit_code == 1
    assert result.output.startswith("annotator: error: ") and not (tmp_path / "none.db").exists()


def test_claims_filters(project):
    result = invoke("claims", "--project", project, "--speaker", "brandt")
    start = TEXT.index("the bridge")
    assert result.output == f"1 'Zürich news' [{start}, {start + 21}) Mayor Brandt (direct, positive): the bridge will open.\n"
    result = invoke("claims", "--project", project, "--polarity", "negative", "--json")
    (row,) = json.loads(result.output)
    assert (row["speaker"], row["text"], row["document_status"]) == ("Zürich officials", "Le café est fermé.”", "new")
    assert json.loads(invoke("claims", "--project", project, "--text", "fermé", "--json").output)[0]["span_id"] == row["span_id"]
    assert json.loads(invoke("claims", "--project", project, "--status", "done", "--json").output) == []
    assert invoke("claims", "--project", project, "--form", "indirect").output == "annotator: no claims pass these filters\n"


@pytest.mark.parametrize("command", ["search", "claims"])
def test_commands_have_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "--json" in result.output and "--project" in result.output


def test_search_per_document_cap_is_an_option_and_a_cut_is_said(tmp_path):
    path = tmp_path / "many.annotator"
    store = Store.open(path)
    store.import_documents([NewDocument(title="Votes", text="vote " * 30), NewDocument(title="Few", text="one vote\n")])
    store.close()
    result = invoke("search", "vote", "--project", path)
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()].count("1") == 20
    notes = [line for line in result.stderr.splitlines() if "note:" in line]
    assert notes == ["annotator: note: document 1 'Votes' has more than 20 hits; only the first 20 are shown"
                     " (--per-document N for more)"]
    hits = json.loads(invoke("search", "vote", "--project", path, "--per-document", "5", "--json").stdout)
    assert [(h["document_id"], h["truncated"]) for h in hits if h["kind"] != "title"] == [(1, True)] * 5 + [(2, False)]
    hits = json.loads(invoke("search", "vote", "--project", path, "--per-document", "30", "--json").stdout)
    assert sum(h["document_id"] == 1 and not h["truncated"] for h in hits) == 30


def test_search_help_says_what_limit_counts():
    text = " ".join(invoke("search", "--help").stdout.split())
    assert "At most this many documents (and this many speakers); not hits: see --per-document." in text
    assert "--per-document N" in text

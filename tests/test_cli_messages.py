"""Messages a fresh-user trial found wrong: each test fails on the old wording."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.cli_agreement import _gold_lines
from annotator.core.errors import InputError
from annotator.core.textfile import parse_json
from annotator.formats.brat import read_brat


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "userdata"))


def test_json_error_says_at_once():
    with pytest.raises(InputError) as info:
        parse_json('{"a": "open', "x.json")
    assert str(info.value) == "x.json: not valid JSON: Unterminated string starting at line 1, column 7"


@pytest.mark.parametrize("gold, first", [("gold", "scores against the gold layer on 3 documents"),
                                         ("ann", "scores against the gold layer (ann) on 3 documents")])
def test_agreement_names_the_gold_layer_once(gold, first):
    lines = _gold_lines({"gold": gold, "documents": 3, "annotators": [], "hardest": []})
    assert lines[0] == first


def test_attribution_triggers_kept_are_one_note_per_label_with_count_and_article(tmp_path):
    (tmp_path / "a.txt").write_text("Ann said: yes. Bob said: no.\n", encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tSource 0 3\tAnn\nT2\tCue 4 8\tsaid\nT3\tContent 10 13\tyes\nT4\tAttribution 4 8\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tSource 15 18\tBob\nT6\tCue 19 23\tsaid\nT7\tContent 25 27\tno\nT8\tAttribution 19 23\tsaid\n"
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n", encoding="utf-8")
    notes = [n for d in read_brat(tmp_path / "a.ann") for n in d.notes if "the trigger" in n]
    assert len(notes) == 1, notes
    assert notes[0].endswith("a.ann: the trigger of 2 attributions was kept as an Attribution span (not a cue)")


def test_claims_refuses_an_unknown_polarity_naming_the_values(tmp_path):
    result = CliRunner().invoke(main, ["claims", "--polarity", "bogus", "--project", str(tmp_path / "p.annotator")])
    assert result.exit_code == 2
    assert "bogus is not a polarity (positive, negative, neutral, mixed, -)" in result.stderr
    assert not (tmp_path / "p.annotator").exists()

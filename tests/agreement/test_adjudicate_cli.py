"""``annotator adjudicate --strategy ...`` (issue 11): the pre-merge on the command line."""
from __future__ import annotations

from click.testing import CliRunner

from annotator.cli import main
from annotator.core.store import Store

from tests.test_premerge import three


def project(tmp_path):
    path = tmp_path / "team.annotator"
    store = Store.open(path, annotator="lead")
    three(store)
    store.close()
    return path


def gold(path) -> list[tuple[str, int, int]]:
    store = Store.open(path)
    try:
        return sorted((s.label, s.start, s.end) for s in store.spans(1) if s.annotator == "gold")
    finally:
        store.close()


def test_majority_then_again_adds_nothing(tmp_path):
    path = project(tmp_path)
    result = CliRunner().invoke(main, ["adjudicate", "--strategy", "majority", "--project", str(path)])
    assert result.exit_code == 0, result.output
    assert "gold: 4 spans added in 1 document (2 claim, 1 cue, 1 speaker)" in result.output
    assert gold(path) == [("claim", 9, 29), ("claim", 40, 58), ("cue", 4, 8), ("speaker", 0, 3)]
    again = CliRunner().invoke(main, ["adjudicate", "--strategy", "majority", "--project", str(path)])
    assert again.exit_code == 0 and "nothing new" in again.output


def test_at_least_needs_min_and_unknown_documents_are_refused(tmp_path):
    path = project(tmp_path)
    runner = CliRunner()
    bad = runner.invoke(main, ["adjudicate", "--strategy", "at-least", "--project", str(path)])
    assert bad.exit_code == 1 and "needs --min N" in bad.output
    bad = runner.invoke(main, ["adjudicate", "--strategy", "unanimous", "--document", "7", "--project", str(path)])
    assert bad.exit_code == 1 and "no document 7" in bad.output
    assert gold(path) == []
    ok = runner.invoke(main, ["adjudicate", "--strategy", "at-least", "--min", "1", "--document", "1", "--project", str(path)])
    assert ok.exit_code == 0 and len(gold(path)) == 6

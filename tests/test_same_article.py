"""Issue 8 kind 11: a tokenised copy of an article already in the project is reported as
probably the same article (annotator.core.same_article, called by the import)."""
from __future__ import annotations

from annotator.services.importing import import_paths
from annotator.core.model import NewDocument
from annotator.core.same_article import probable_copies, spacing_key
from annotator.core.store import Store

ARTICLE = "Officials said: \"We don't know.\" The U.S. embassy, in Seoul, closed."
TOKENISED = "Officials said : \" We do n't know . \" The U.S. embassy , in Seoul , closed ."


def test_spacing_key_ignores_only_whitespace():
    assert spacing_key(ARTICLE) == spacing_key(TOKENISED)
    assert spacing_key(ARTICLE) != spacing_key(ARTICLE.replace("Seoul", "Busan"))


def test_import_of_a_tokenised_copy_reports_the_project_document(tmp_path):
    store = Store.memory()
    store.import_documents([NewDocument(title="Embassy", text=ARTICLE, origin="a.txt")])
    (tmp_path / "copy.txt").write_text(TOKENISED, encoding="utf-8")
    report = import_paths(store, [tmp_path / "copy.txt"])
    notes = [n for n in report.notes if "probably the same article" in n]
    assert len(notes) == 1
    assert "copy.txt" in notes[0]
    assert "document 1 'Embassy' of the project" in notes[0]


def test_copies_inside_one_import_and_exact_copies():
    store = Store.memory()
    docs = [NewDocument(title="a", text=ARTICLE, origin="one"), NewDocument(title="b", text=TOKENISED, origin="two"),
            NewDocument(title="c", text=ARTICLE, origin="three")]
    notes = probable_copies(store, docs)
    assert notes == ["two: probably the same article as one 'a' (the same words with different spacing, as a "
                     "tokenised copy has); imported as a document of its own"]  # "three" is exact: the store's job

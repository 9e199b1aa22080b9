"""Web-page import (format "html", annotator/formats/html.py).

The three pages in tests/data/html/ are written by hand to look like real saved pages:
news_article.html (nav, ads, script, related links, comments, footer, byline, <time>,
og:url), cp1252_meta_charset.html (windows-1252 bytes, <meta charset>, CRLF, canonical
link) and emoji_hebrew.htm (UTF-8, Hebrew, non-BMP emoji incl. a flag and a skin tone).
"""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.store import Store
from annotator.formats.html import declared_charset, decode_html, read_html
from annotator.formats.registry import detect_format, export_items, get_format

DATA = Path(__file__).parent / "data" / "html"
NEWS = DATA / "news_article.html"
CP1252 = DATA / "cp1252_meta_charset.html"
EMOJI = DATA / "emoji_hebrew.htm"


def read_one(path: Path):
    docs = read_html(path)
    assert len(docs) == 1
    return docs[0]


@pytest.mark.parametrize("path", [NEWS, CP1252, EMOJI], ids=lambda p: p.name)
def test_text_is_clean(path):
    doc = read_one(path)
    assert doc.text and doc.text == doc.text.strip()
    assert "\r" not in doc.text
    assert not doc.text.startswith("\ufeff") and "\ufeff" not in doc.text
    assert "\n\n\n" not in doc.text
    assert doc.origin == str(path)


def test_news_article_main_text_only():
    doc = read_one(NEWS)
    for boilerplate in (
        "Subscribe", "World", "Opinion",  # nav
        "ADVERTISEMENT", "QuickLoans", "cruise",  # ads, also the one inside the article body
        "SCRIPT TEXT", "dataLayer", "font-family",  # script and style
        "COMMENT TEXT", "grainwatcher77", "Comments (3)",  # comments section
        "FOOTER TEXT", "Privacy policy", "Cookie settings",  # footer
        "Related stories", "six-month high",  # aside
    ):
        assert boilerplate not in doc.text, boilerplate


def test_news_article_paragraphs_title_and_url():
    doc = read_one(NEWS)
    assert doc.title == "Ministers agree on grain corridor after late-night talks"
    assert doc.source == "https://www.dailyledger.example/world/2024/03/14/grain-corridor-deal"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Ministers agree on grain corridor after late-night talks"
    assert paragraphs[1].startswith("ISTANBUL - Negotiators from both countries agreed on Thursday")
    assert paragraphs[2] == (
        '"This is a fragile agreement, but it is an agreement," the foreign minister, Sergey Lavrov,'
        " told reporters after the talks, which ran past midnight in a hotel on the Bosphorus."
    )
    assert paragraphs[-1] == "The agreement runs for 120 days and can be extended by mutual consent."
    assert len(paragraphs) == 6
    assert all("\n" not in p for p in paragraphs)  # source line breaks inside <p> are spaces


def test_author_and_date_are_reported_not_silently_lost():
    doc = read_one(NEWS)
    [note] = doc.notes
    assert str(NEWS) in note and "Maria Okafor" in note and "2024-03-14" in note and "not stored" in note


def test_cp1252_page_with_meta_charset():
    data = CP1252.read_bytes()
    assert declared_charset(data) == "cp1252"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = read_one(CP1252)
    assert doc.title == "Bürgermeisterin kündigt neues Budget an"
    assert doc.source == "https://stadtanzeiger.example/lokales/budget-2024.html"
    assert "4,2 Mio. € für den Straßenbau" in doc.text
    assert "„Wir müssen jetzt handeln“, sagte sie" in doc.text
    assert "„ein Wahlgeschenk – nicht mehr und nicht weniger“" in doc.text
    assert "einreichen… oder per Post" in doc.text
    assert "Ã" not in doc.text and "\ufffd" not in doc.text  # no mojibake
    assert "Startseite" not in doc.text and "Impressum" not in doc.text
    assert len(doc.text.split("\n\n")) == 4


def test_emoji_and_hebrew_code_point_offsets():
    doc = read_one(EMOJI)
    assert detect_format(EMOJI).name == "html"
    assert doc.title == "חגיגות בתל אביב 🎉"
    assert doc.source == "https://news.example.co.il/city/celebrations-2024"
    assert "ראשי" not in doc.text and "כל הזכויות שמורות" not in doc.text  # nav, footer
    for needle in ("🎉", "🇮🇱", "🌊", "👍🏽", "😤", "“bring the city back to the sea”", "The mayor’s spokesperson"):
        assert needle in doc.text
    assert len("🇮🇱") == 2 and len("👍🏽") == 2  # code points, not UTF-16 units or graphemes
    # A span over a Hebrew phrase after non-BMP characters survives the store unchanged.
    store = Store.memory()
    report, _ = store.import_documents([doc])
    [doc_id] = report.added
    stored = store.document(doc_id)
    assert stored.text == doc.text
    phrase = "זה יום היסטורי לעיר שלנו"
    start = stored.text.index(phrase)
    store.add_span(doc_id, "claim", [(start, start + len(phrase))])
    [span] = store.spans(doc_id)
    assert span.text(stored.text) == phrase


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


PAGE = (
    "<!DOCTYPE html><html><head>{meta}<title>Test page</title></head><body><article>"
    "<h1>Test page</h1><p>First paragraph of the story, with {word} in it.</p>"
    "<p>Second paragraph<br>with a line break.</p></article></body></html>"
)


def test_bom_wins_over_meta_charset(tmp_path):
    html = PAGE.format(meta='<meta charset="windows-1252">', word="Straße 🎉")
    path = _write(tmp_path, "bom.html", b"\xef\xbb\xbf" + html.encode("utf-8"))
    doc = read_one(path)
    assert "with Straße 🎉 in it." in doc.text
    assert not doc.text.startswith("\ufeff")
    assert doc.text.split("\n\n")[-1] == "Second paragraph\nwith a line break."
    assert doc.source == str(path)  # no URL in the page: the file path


def test_http_equiv_iso_8859_1_means_windows_1252(tmp_path):
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    path = _write(tmp_path, "latin.html", PAGE.format(meta=meta, word="5 € and “quotes”").encode("cp1252"))
    assert declared_charset(path.read_bytes()) == "cp1252"
    assert "with 5 € and “quotes” in it." in read_one(path).text


def test_wrong_declared_charset_falls_back_to_detection_with_a_note(tmp_path):
    path = _write(tmp_path, "liar.html", PAGE.format(meta='<meta charset="utf-8">', word="café crème").encode("cp1252"))
    doc = read_one(path)
    assert "with café crème in it." in doc.text
    assert any("declares charset utf_8" in n and str(path) in n for n in doc.notes)


def test_decode_html_names_the_file():
    with pytest.raises(InputError, match="^page.html: "):
        decode_html(b"", "page.html")
    with pytest.raises(InputError, match="^page.html: "):
        decode_html(b"\xef\xbb\xbf  \n ", "page.html")


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Nothing here</title><script>var text = 'no';</script></head><body></body></html>",
        "<html><body><div> </div><img src='x.png'></body></html>",
    ],
)
def test_page_without_text_is_refused(tmp_path, html):
    path = _write(tmp_path, "empty.html", html.encode())
    with pytest.raises(InputError, match=f"^{path}: no article text"):
        read_html(path)


def test_empty_and_binary_files_are_refused(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_html(_write(tmp_path, "zero.html", b""))
    with pytest.raises(InputError, match="PNG"):
        read_html(_write(tmp_path, "image.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40))
    with pytest.raises(InputError, match="cannot read"):
        read_html(tmp_path / "missing.html")


def test_unknown_option_is_refused():
    with pytest.raises(InputError, match="no options"):
        read_html(NEWS, mapping="x")


def test_no_network_no_external_entities(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    html = (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<html><head><title>Entities</title><link rel="stylesheet" href="http://192.0.2.1/x.css">'
        '<script src="http://192.0.2.1/x.js"></script></head><body><article><h1>Entities</h1>'
        "<p>An entity reference: &xxe; and an iframe follows.</p>"
        '<iframe src="http://192.0.2.1/frame.html"></iframe><img src="http://192.0.2.1/i.png">'
        "<p>The last paragraph of a story that has enough words to be kept by the extractor.</p>"
        "</article></body></html>"
    )
    path = _write(tmp_path, "xxe.html", html.encode())

    def no_network(*args, **kwargs):
        raise AssertionError("the html importer tried to use the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    doc = read_one(path)
    assert "TOP-SECRET-MARKER" not in doc.text
    assert "The last paragraph of a story" in doc.text


def test_registry_and_store_round_trip():
    fmt = get_format("html")
    assert fmt.can_read and not fmt.can_write and fmt.extensions == (".html", ".htm")
    assert detect_format(Path("page.HTML")).name == "html"
    docs = read_html(NEWS) + read_html(EMOJI)
    store = Store.memory()
    report, _ = store.import_documents(docs)
    assert len(report.added) == 2
    assert any("Maria Okafor" in n for n in report.notes)
    items = export_items(store)
    assert [(i.document.title, i.document.text, i.document.source) for i in items] == [(d.title, d.text, d.source) for d in docs]


def test_lists_quotes_line_breaks_and_entities(tmp_path):
    html = (
        "<html><head><title>Structure</title></head><body><article><h1>Structure</h1>"
        "<p>Hello <b>bold   world</b> and <a href='x'>a link</a>, then  spaces.</p>"
        "<p>Line one<br>line two<br/>ends with &amp; and &lt;tag&gt; and &amp;amp;</p>"
        "<ul><li>first item</li><li>second <i>item</i><ul><li>nested</li></ul></li></ul>"
        "<blockquote><p>Quoted para one.</p><p>Quoted para two.</p></blockquote>"
        "<p>A closing paragraph with enough words in it for the extractor to keep it as text.</p>"
        "<table><tr><td>TABLE CELL</td></tr></table></article></body></html>"
    )
    doc = read_one(_write(tmp_path, "structure.html", html.encode()))
    assert doc.text.split("\n\n") == [
        "Structure",
        "Hello bold world and a link, then spaces.",
        "Line one\nline two\nends with & and <tag> and &amp;",
        "- first item\n- second item\n  - nested",
        "Quoted para one.",
        "Quoted para two.",
        "A closing paragraph with enough words in it for the extractor to keep it as text.",
    ]
    assert doc.notes == []


def test_page_without_an_article_is_imported_with_a_warning_note(tmp_path):
    html = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> <a href='/b'>About</a></nav></body></html>"
    path = _write(tmp_path, "menu.html", html.encode())
    doc = read_one(path)
    assert doc.text == "Home About"
    assert any(n.startswith(f"{path}: no clearly marked article found") for n in doc.notes)

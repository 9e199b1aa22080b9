"""Tests for annotator.core.textfile: decoding, newline normalisation, article reading.

Cases come from /work/shared/cases (cli_cases.json S02, S03, S04, S08, S10 and
known-faults B05, B06, B07, B13, B14); their inputs are copied here so the tests do not
depend on files outside the repository.
"""

from __future__ import annotations

import codecs
import hashlib
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from annotator.core import textfile
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.textfile import (
    ArticleText,
    decode_text,
    normalize_newlines,
    read_article,
    text_sha256,
)

# S02 / B05: CRLF and one bare LF mixed.
S02_TEXT = (
    "LONDON\r\nThe mayor, Ana Reyes, spoke on Friday.\r\n"
    'She said: "We will rebuild."\nReporting by Lee Chan\r\n'
)
S02_EXPECT = (
    "LONDON\nThe mayor, Ana Reyes, spoke on Friday.\n"
    'She said: "We will rebuild."\nReporting by Lee Chan\n'
)
# S03 / B06
S03_TEXT = "Senator Kim denied the report on Tuesday.\n"
B06_RAW_HEX = (
    "efbbbf53656e61746f72204b696d2064656e69656420746865207265706f7274206f6e20547565736461792e"
)
# S04 / B13
S04_TEXT = (
    "The café’s owner, Mr Dubois, said “no comment” about the plans for the café"
    " and the restaurant.\n"
)
B13_TEXT = "The café’s owner, Mr Dubois, said “no comment”."
B13_CP1252_HEX = (
    "54686520636166e99273206f776e65722c204d72204475626f69732c207361696420936e6f20636f6d6d656e74942e"
)
B13_UTF8_HEX = (
    "54686520636166c3a9e2809973206f776e65722c204d72204475626f69732c207361696420e2809c6e6f20"
    "636f6d6d656e74e2809d2e"
)
LATIN1_TEXT = "Señor Müller sagte: «Ja»."
# S08: PNG signature + IHDR chunk, named .txt
S08_HEX = (
    "89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000"
)
# B07
B07_TEXT = "Prime\u00a0Minister Okafor said talks resume on 3\u00a0May. #Budget\u200b2025"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- errors


def test_input_error_is_a_value_error_and_annotator_error() -> None:
    assert issubclass(InputError, ValueError)
    assert issubclass(InputError, AnnotatorError)


# --------------------------------------------------------------------------- newlines


def test_s02_crlf_and_mixed_endings_read_article(tmp_path: Path) -> None:
    path = write(tmp_path, "crlf.txt", S02_TEXT.encode("utf-8"))
    article = read_article(path)
    assert article.text == S02_EXPECT
    assert "\r" not in article.text
    # B05: offsets on the normalised text
    for start, end, surface in [(18, 27, "Ana Reyes"), (57, 73, "We will rebuild."),
                                (88, 96, "Lee Chan")]:
        assert article.text[start:end] == surface
    assert article.title == "LONDON"


def test_decode_text_does_not_touch_newlines() -> None:
    assert decode_text(S02_TEXT.encode("utf-8"), "crlf.txt") == S02_TEXT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\rb", "a\n\nb"),
        ("a\r\r\nb", "a\n\nb"),
        ("a\n\rb", "a\n\nb"),
        ("a\r\n\r\nb\r", "a\n\nb\n"),
        ("\r", "\n"),
        ("no newline", "no newline"),
        ("", ""),
    ],
)
def test_normalize_newlines_cases(raw: str, expected: str) -> None:
    assert normalize_newlines(raw) == expected


def test_normalize_newlines_keeps_other_separators_and_spaces() -> None:
    # B02/B07/B08: nothing but \r changes - no NFC, no whitespace folding
    raw = "Rene\u0301\u00a0x\u200by\tz  w\u2028v\u2029u\x85t\x0cs\x0br"
    assert normalize_newlines(raw) == raw


# --------------------------------------------------------------------------- BOMs


def test_s03_utf8_bom_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", codecs.BOM_UTF8 + S03_TEXT.encode("utf-8"))
    assert read_article(path).text == S03_TEXT


def test_b06_bom_case_starts_with_s_and_has_41_code_points() -> None:
    text = decode_text(bytes.fromhex(B06_RAW_HEX), "bom.txt")
    assert text[0] == "S"
    assert len(text) == 41
    assert text[0:11] == "Senator Kim"
    assert "\ufeff" not in text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
    ],
)
def test_bom_decides_encoding(bom: bytes, codec: str) -> None:
    text = "Señor Müller said “yes” 📰 on Tuesday.\r\n"
    assert decode_text(bom + text.encode(codec), "x.txt") == text


def test_utf16_le_with_bom_read_article(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + S02_TEXT.encode("utf-16-le")
    assert b"\x00" in data
    assert read_article(write(tmp_path, "le.txt", data)).text == S02_EXPECT


def test_utf16_be_with_bom_read_article(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_BE + S03_TEXT.encode("utf-16-be")
    assert read_article(write(tmp_path, "be.txt", data)).text == S03_TEXT


def test_only_one_leading_feff_is_dropped_after_decoding() -> None:
    assert decode_text(codecs.BOM_UTF8 * 2 + b"abc", "x.txt") == "abc"
    assert decode_text(codecs.BOM_UTF8 * 3 + b"abc", "x.txt") == "\ufeffabc"
    # a U+FEFF that is not leading is text, not a BOM
    assert decode_text("ab\ufeffc".encode("utf-8"), "x.txt") == "ab\ufeffc"


def test_bad_utf16_after_bom_is_refused() -> None:
    with pytest.raises(InputError, match=r"^odd\.txt: "):
        decode_text(codecs.BOM_UTF16_LE + b"a\x00b", "odd.txt")


# --------------------------------------------------------------------------- legacy encodings


def test_s04_cp1252_comes_back_exactly(tmp_path: Path) -> None:
    data = S04_TEXT.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_text(data, "cp1252.txt") == S04_TEXT
    assert read_article(write(tmp_path, "cp1252.txt", data)).text == S04_TEXT


def test_b13_cp1252_hex_offsets() -> None:
    text = decode_text(bytes.fromhex(B13_CP1252_HEX), "b13.txt")
    assert text == B13_TEXT
    assert text[18:27] == "Mr Dubois"
    assert text[35:45] == "no comment"


def test_b13_utf8_is_not_read_as_latin1() -> None:
    text = decode_text(bytes.fromhex(B13_UTF8_HEX), "b13.txt")
    assert text == B13_TEXT
    assert "Ã" not in text


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_latin1_accented_letters(codec: str) -> None:
    assert decode_text(LATIN1_TEXT.encode(codec), "x.txt") == LATIN1_TEXT


@pytest.mark.parametrize(
    "text",
    [
        "El señor Pérez, presidente de la compañía, dijo: «No habrá despidos».",
        "Der Bürgermeister äußerte sich zur Größe der Straßen in München.",
        "Déjà vu à la française, où l'été est très chaud.",
        "Straße",
        "Price: 10€ — “quoted” text…",
    ],
)
def test_western_cp1252_texts(text: str) -> None:
    assert decode_text(text.encode("cp1252"), "x.txt") == text


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Zażółć gęślą jaźń, powiedział minister.", "cp1250"),
        ("Ünlü şarkıcı İstanbul'da konser verdi.", "cp1254"),
        ("Привет, как дела? Это тестовый текст на русском языке.", "cp1251"),
        ("Γειά σου Κόσμε, αυτό είναι ένα κείμενο.", "cp1253"),
    ],
)
def test_other_legacy_encodings_are_not_forced_to_cp1252(text: str, codec: str) -> None:
    assert decode_text(text.encode(codec), "x.txt") == text


# --------------------------------------------------------------------------- binary / empty


def test_s08_png_refused_naming_the_file(tmp_path: Path) -> None:
    data = bytes.fromhex(S08_HEX)
    with pytest.raises(InputError, match=r"^photo\.txt: .*PNG"):
        decode_text(data, "photo.txt")
    path = write(tmp_path, "photo.txt", data)
    with pytest.raises(InputError) as info:
        read_article(path)
    assert str(path) in str(info.value)
    assert "PNG" in str(info.value)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00word/document.xml", "ZIP"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "GIF"),
        (b"GIF87a\x01\x00\x01\x00", "GIF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
    ],
)
def test_binary_magic_refused(data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match=rf"^thing\.txt: .*{kind}"):
        decode_text(data, "thing.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"abc\x00def",
        "Hello, world".encode("utf-16-le"),  # UTF-16 without a BOM
        "Hello, world".encode("utf-32-be"),
    ],
)
def test_nul_bytes_without_bom_refused(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^nul\.txt: .*NUL"):
        decode_text(data, "nul.txt")


def test_many_control_characters_refused() -> None:
    data = bytes(range(1, 32)) * 4 + b"some text"
    with pytest.raises(InputError, match=r"^ctl\.bin: .*control characters"):
        decode_text(data, "ctl.bin")
    c1 = ("text \u0085\u0090\u009b " * 10).encode("utf-8")  # C1 controls count too
    with pytest.raises(InputError, match="control characters"):
        decode_text(c1, "c1.txt")


def test_allowed_controls_and_a_stray_one_are_kept() -> None:
    text = "Column\tvalue\fnext page\r\nline\n" * 3
    assert decode_text(text.encode("utf-8"), "x.txt") == text
    long_text = "A plain sentence of ordinary news text. " * 10 + "\x1a"  # DOS EOF marker
    assert decode_text(long_text.encode("ascii"), "x.txt") == long_text


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b" \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, "\u00a0\n".encode()],
)
def test_empty_or_whitespace_refused(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^empty\.txt: .*is empty"):
        decode_text(data, "empty.txt")


def test_read_article_empty_file_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", b"")
    with pytest.raises(InputError, match="is empty") as info:
        read_article(path)
    assert str(info.value).startswith(str(path))


def test_read_article_missing_file_and_directory(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputError, match="cannot read") as info:
        read_article(missing)
    assert str(missing) in str(info.value)
    with pytest.raises(InputError, match="cannot read"):
        read_article(tmp_path)


def test_read_article_too_large_refused_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse file just over the limit
        handle.truncate(textfile.MAX_FILE_BYTES + 1)
    assert textfile.MAX_FILE_BYTES == 50 * 1024 * 1024

    def no_read(self: Path) -> bytes:
        raise AssertionError("a file over the limit must be refused before it is read")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(InputError, match="too large") as info:
        read_article(path)
    assert str(path) in str(info.value)


def test_read_article_exactly_at_limit_is_not_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", 12)
    assert read_article(write(tmp_path, "a.txt", b"twelve bytes")).text == "twelve bytes"
    with pytest.raises(InputError, match="too large"):
        read_article(write(tmp_path, "b.txt", b"thirteen byte"))


def test_error_messages_are_one_line() -> None:
    for data in (b"", b"\x89PNG\r\n\x1a\n\x00", b"a\x00b", bytes(range(1, 9)) * 5):
        with pytest.raises(InputError) as info:
            decode_text(data, "f.txt")
        assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- text preserved


def test_b07_nbsp_zwsp_tab_u2028_preserved(tmp_path: Path) -> None:
    text = B07_TEXT + "\tcol2\u2028next\u2029para  two spaces\n"
    article = read_article(write(tmp_path, "b07.txt", text.encode("utf-8")))
    assert article.text == text
    assert [i for i, c in enumerate(article.text) if c == "\u00a0"] == [5, 44]
    assert [i for i, c in enumerate(article.text) if c == "\u200b"] == [57]
    assert article.text[50:62] == "#Budget\u200b2025"


def test_no_unicode_normalisation(tmp_path: Path) -> None:
    decomposed = "Nurse Patel thanked Rene\u0301 Dubois.\n"
    article = read_article(write(tmp_path, "nfd.txt", decomposed.encode("utf-8")))
    assert article.text == decomposed
    assert unicodedata.normalize("NFC", article.text) != article.text


# --------------------------------------------------------------------------- read_article


def test_article_text_is_frozen(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "a.txt", b"Title\nBody\n"))
    expected = ArticleText(title="Title", text="Title\nBody\n", source=str(tmp_path / "a.txt"))
    assert article == expected
    with pytest.raises(AttributeError):
        article.title = "other"  # type: ignore[misc]


def test_title_is_first_non_blank_line_and_text_keeps_it(tmp_path: Path) -> None:
    raw = "\r\n   \r\n  Mayor resigns over budget  \r\nThe mayor said...\r\n"
    path = write(tmp_path, "story.txt", raw.encode("utf-8"))
    article = read_article(path)
    assert article.title == "Mayor resigns over budget"
    assert article.text == normalize_newlines(raw)
    assert article.source == str(path)


def test_title_from_stem(tmp_path: Path) -> None:
    path = write(tmp_path, "2024-05-03 budget.txt", b"Mayor resigns\nBody\n")
    article = read_article(path, title_from_first_line=False)
    assert article.title == "2024-05-03 budget"
    assert article.text == "Mayor resigns\nBody\n"


def test_title_capped_at_200(tmp_path: Path) -> None:
    line = "x" * 150 + " " + "y" * 150
    article = read_article(write(tmp_path, "long.txt", (line + "\nbody").encode()))
    assert article.title == line[:200]
    assert len(article.title) == 200
    assert article.text.startswith(line)


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("# Mayor resigns", "Mayor resigns"),
        ("### Mayor resigns ###", "Mayor resigns"),
        ("  ## C# developers hired", "C# developers hired"),
        ("#hashtag is not a heading", "#hashtag is not a heading"),
        ("Plain first line", "Plain first line"),
    ],
)
def test_markdown_heading_title(tmp_path: Path, first: str, title: str) -> None:
    raw = f"\n{first}\n\nBody text.\n"
    article = read_article(write(tmp_path, "story.md", raw.encode("utf-8")))
    assert article.title == title
    assert article.text == raw  # the heading marks stay in the text


def test_hash_marks_kept_in_txt_title(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "story.txt", b"# Mayor resigns\nBody\n"))
    assert article.title == "# Mayor resigns"


def test_empty_markdown_heading_falls_back_to_stem(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "notes.md", b"#\nBody\n"))
    assert article.title == "notes"


def test_read_article_accepts_str_path(tmp_path: Path) -> None:
    path = write(tmp_path, "s.txt", b"Headline\n")
    assert read_article(str(path)).source == str(path)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- sha256 / S10


def test_text_sha256() -> None:
    assert text_sha256("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert text_sha256("café") == hashlib.sha256("café".encode("utf-8")).hexdigest()
    assert text_sha256("café") != text_sha256("cafe\u0301")


def test_s10_same_article_twice_same_hash(tmp_path: Path) -> None:
    text = "Coach Brennan said the team will win the final.\n"
    first = read_article(write(tmp_path, "again.txt", text.encode("utf-8")))
    crlf_with_bom = codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")
    second = read_article(write(tmp_path, "copy.txt", crlf_with_bom))
    assert first.text == second.text
    assert text_sha256(first.text) == text_sha256(second.text)
    assert text_sha256(first.text) != text_sha256(first.text + " ")


# --------------------------------------------------------------------------- purity


def test_module_never_imports_qt() -> None:
    code = (
        "import sys, annotator.core.textfile as t\n"
        "t.decode_text(b'caf\\xe9 ok', 'x')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'annotator.ui')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


# --------------------------------------------------------------------------- properties

_ALLOWED_CONTROLS = "\t\n\r\f"


def _has_bad_control(s: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in s)


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_utf8_round_trip(s: str) -> None:
    assume(not _has_bad_control(s))
    assume(s.strip())  # empty/whitespace-only is refused by design
    assume(not s.startswith("\ufeff"))  # a leading U+FEFF is a BOM by design
    data = s.encode("utf-8")
    assume(not textfile._binary_signature(data))  # e.g. text starting "%PDF-" or "GIF89a"
    assert decode_text(data, "x.txt") == s


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_decode_utf8_returns_input_or_refuses(s: str) -> None:
    """Whatever comes back is exactly the input; a refusal is an InputError, nothing else."""
    try:
        out = decode_text(s.encode("utf-8"), "x.txt")
    except InputError as exc:
        assert str(exc).startswith("x.txt: ")
    else:
        # the BOM goes, then one more leading U+FEFF left after decoding
        assert out == s.removeprefix("\ufeff").removeprefix("\ufeff")


@given(st.text(alphabet=st.sampled_from("ab\r\n\u2028\u0085 \t")) | st.text())
def test_normalize_newlines_properties(s: str) -> None:
    out = normalize_newlines(s)
    assert "\r" not in out
    assert normalize_newlines(out) == out
    assert out.count("\n") == s.count("\n") + s.count("\r") - s.count("\r\n")
    assert out.replace("\n", "") == s.replace("\r", "").replace("\n", "")


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
def test_utf16_bom_round_trip(s: str) -> None:
    assume(not _has_bad_control(s) and s.strip() and not s.startswith("\ufeff"))
    assert decode_text(codecs.BOM_UTF16_LE + s.encode("utf-16-le"), "x.txt") == s
    assert decode_text(codecs.BOM_UTF16_BE + s.encode("utf-16-be"), "x.txt") == s


def test_parse_json_turns_every_json_failure_into_a_message_naming_the_place():
    from annotator.core.textfile import parse_json

    with pytest.raises(InputError, match=r"^f\.json: not valid JSON: .* at line 2, column 1"):
        parse_json('{"a": 1,\n}', "f.json")
    with pytest.raises(InputError, match=r"^f\.jsonl: line 3: not valid JSON: .* at column"):
        parse_json('{"a": ', "f.jsonl: line 3", line=3)
    with pytest.raises(InputError, match="nested too deeply"):
        parse_json("[" * 100_000, "deep.json")
    with pytest.raises(InputError, match="too many digits"):
        parse_json("1" * 5000, "big.json")
    assert parse_json('{"a": [1, 2]}', "ok.json") == {"a": [1, 2]}


def test_a_label_studio_file_that_is_not_utf8_says_so(tmp_path):
    """read_utf8's InputError (a ValueError) is not mistaken for a JSON error."""
    from annotator.formats.label_studio import read_label_studio

    path = tmp_path / "tasks.json"
    path.write_bytes(b'[{"data": {"text": "caf\xe9"}}]')
    with pytest.raises(InputError, match=r"tasks\.json: not UTF-8"):
        read_label_studio(path)

"""Import saved web pages (``.html``, ``.htm``): the article's main text, its title and URL.

The page is parsed, never fetched or rendered: the bytes are decoded here (byte-order mark,
else the charset the page declares in ``<meta charset>`` / ``http-equiv`` / an XML
declaration, else :func:`annotator.core.textfile.decode_text`'s detection), then the main
text and metadata are extracted with trafilatura (Barbaresi 2021, ACL demo) on lxml's HTML
parser: no scripts run, no external entities or DTDs are loaded, no URL is requested.
Navigation, advertising, comment sections, tables and footers are left out as far as
trafilatura recognises them.

The document text is built from trafilatura's extracted blocks: headings, paragraphs,
block quotes and lists, one block per paragraph, separated by a blank line ("\\n\\n");
a ``<br>`` inside a paragraph stays a single "\\n"; list items are one line each, marked
"- ". Newlines are "\\n" only, and the text never starts with U+FEFF. Spans of later
annotations use Python code-point offsets into exactly this text, half-open [start, end).

Document fields: ``title`` from the page's metadata (og:title, <title>, <h1>) else the text's
first line; ``source`` the page's own URL (``<link rel="canonical">`` / ``og:url``, absolute
http(s) only) else the file path. Author and date are read but the model has no field for
them yet: the reader says so in the document's ``notes`` (see docs/formats/html_csv.md).
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from urllib.parse import urlsplit

from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.textfile import MAX_TITLE_CHARS, decode_text, normalize_newlines, read_file_bytes
from annotator.formats.registry import Format, register

__all__ = ["read_html", "declared_charset", "decode_html"]

# How far into the file a charset declaration is looked for (the HTML standard's prescan
# looks at 1024 bytes; real pages put long <script>s first, so a little more).
_PRESCAN_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)""", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # (UTF-32 LE starts with UTF-16 LE's)

# Labels the HTML standard (WHATWG Encoding) decodes differently from what their name says.
_WHATWG_ALIASES = {
    "iso8859_1": "cp1252",  # iso-8859-1, latin1, l1, ...
    "ascii": "cp1252",  # us-ascii
    "iso8859_9": "cp1254",
    "utf_16": "utf-8",  # a <meta> cannot be read in UTF-16, so it is UTF-8 (HTML standard)
    "utf_16_le": "utf-8",
    "utf_16_be": "utf-8",
    "utf_32": "utf-8",
    "utf_32_le": "utf-8",
    "utf_32_be": "utf-8",
}

_BLOCK_TAGS = {"p", "head", "quote", "list", "code", "div", "section"}


def declared_charset(data: bytes) -> str | None:
    """The Python codec name of the charset the page declares near its start
    (``<meta charset=...>``, ``<meta http-equiv="Content-Type" content="...; charset=...">`` or
    ``<?xml ... encoding=...?>``), mapped as the HTML standard does (ISO-8859-1 and US-ASCII
    mean windows-1252); None when there is none or Python does not know the label."""
    head = data[:_PRESCAN_BYTES]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def decode_html(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a page's bytes: a byte-order mark wins, else the declared charset when the bytes
    are valid in it, else :func:`decode_text`'s detection (with a note saying the declaration
    was wrong). Returns the text (newlines not yet normalised, no leading U+FEFF) and notes.
    Raises InputError naming ``name`` for empty, binary or undecodable data."""
    notes: list[str] = []
    if not data.startswith(_BOMS):
        charset = declared_charset(data)
        if charset is not None:
            try:
                text = data.decode(charset)
            except UnicodeDecodeError:
                notes.append(f"{name}: the page declares charset {charset} but is not valid {charset}; decoded it by detection instead")
            else:
                return text.removeprefix("\ufeff"), notes  # not blank: it holds the <meta>
    return decode_text(data, name), notes


def read_html(path: Path | str, **options) -> list[NewDocument]:
    """Read one saved web page (format "html") and return it as one document.

    The text is the extracted article (see the module docstring for how blocks are joined);
    offsets into it are Python code points, half-open. Raises InputError naming the file
    when it cannot be read, is larger than MAX_FILE_BYTES, cannot be decoded, or has no
    extractable article text, and for any option (this reader takes none).
    """
    path = Path(path)
    name = str(path)
    if options:
        raise InputError(f"{name}: the html importer takes no options (got {', '.join(sorted(options))})")
    data = read_file_bytes(path, name)
    html, notes = decode_html(data, name)
    extracted, text, precise = _extract(html)
    if extracted is None or not text.strip():
        raise InputError(f"{name}: no article text found in the page (nothing but navigation, scripts or markup)")
    if not precise:
        notes.append(f"{name}: no clearly marked article found; the text is the page's readable text and may include menus or other page furniture - check it before annotating")

    title = " ".join((extracted.title or "").split()) or text.split("\n", 1)[0].strip()
    title = title[:MAX_TITLE_CHARS].rstrip() or path.stem
    url = (extracted.url or "").strip()
    source = url if _is_web_url(url) else name
    read_but_not_stored = [f"{what} {value!r}" for what, value in (("author", extracted.author), ("date", extracted.date)) if value]
    if read_but_not_stored:
        notes.append(f"{name}: {' and '.join(read_but_not_stored)} read from the page but not stored (documents have no author or date yet)")
    return [NewDocument(title=title, text=text, source=source, origin=name, notes=notes)]


# --------------------------------------------------------------------------- helpers


def _extract(html: str):
    """trafilatura's extraction of the page (a trafilatura Document, or None), its text, and
    whether the precise pass found it. The precise pass (favor_precision, fast: trafilatura's
    own extractor only) comes first because the default mode's fallbacks (readability,
    jusText, then a "baseline") may return a menu, or flatten a short article into one
    paragraph; they are only tried when the precise pass finds nothing."""
    import trafilatura  # imported lazily: only web pages need it

    common = dict(
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=True,
        # no "extensive" date guessing (it turns a footer's "(c) 2024" into 2024-01-01)
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    result = trafilatura.bare_extraction(html, favor_precision=True, fast=True, **common)
    text = _body_text(result.body) if result is not None else ""
    if text.strip():
        return result, text, True
    result = trafilatura.bare_extraction(html, **common)
    return result, _body_text(result.body) if result is not None else "", False


def _body_text(body) -> str:
    """Plain text of trafilatura's extracted ``<body>``: blocks joined by a blank line."""
    if body is None:
        return ""
    blocks: list[str] = []
    _collect_blocks(body, blocks)
    return normalize_newlines("\n\n".join(b for b in blocks if b)).removeprefix("\ufeff")


def _collect_blocks(container, blocks: list[str]) -> None:
    """Append the text of each block element of ``container`` (recursing into block quotes
    and divisions that hold blocks); loose text between blocks becomes a block of its own."""
    _add_block(blocks, container.text)
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            blocks.append("\n".join(_list_lines(child, 0)))
        elif tag in ("quote", "div", "section") and any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in child):
            _collect_blocks(child, blocks)
        elif tag in ("table", "graphic", ""):
            pass
        else:
            _add_block(blocks, _inline_text(child), keep_indent=tag == "code")
        _add_block(blocks, child.tail)


def _add_block(blocks: list[str], text: str | None, keep_indent: bool = False) -> None:
    if not text or not text.strip():
        return
    lines = [line.rstrip() if keep_indent else line.strip() for line in normalize_newlines(text).split("\n")]
    block = "\n".join(line for line in lines if line.strip())
    if block:
        blocks.append(block)


def _list_lines(lst, depth: int) -> list[str]:
    """One "- item" line per list item, nested lists indented by two spaces a level."""
    lines: list[str] = []
    for item in lst:
        if not isinstance(item.tag, str) or item.tag != "item":
            continue
        nested = [c for c in item if c.tag == "list"]
        own = " ".join(_inline_text(item, skip=("list",)).split())
        if own:
            lines.append(f"{'  ' * depth}- {own}")
        for sub in nested:
            lines.extend(_list_lines(sub, depth + 1))
    return lines


def _inline_text(element, skip: tuple[str, ...] = ()) -> str:
    """The text of ``element`` with its inline children; ``<lb/>`` is a newline."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            parts.append("\n")
        elif tag in skip or tag in ("table", "graphic", ""):
            pass
        elif tag in ("p", "list", "quote", "head"):  # a block nested in a block: own line
            inner = "\n".join(_list_lines(child, 0)) if tag == "list" else _inline_text(child)
            parts.append(f"\n{inner}\n")
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url)


register(
    Format(
        name="html",
        description="Web page saved as HTML: the article's main text, title and URL (trafilatura)",
        extensions=(".html", ".htm"),
        reader=read_html,
        carries="the article's main text with paragraph breaks, its title, and its URL as the source",
        cannot_carry=(
            "markup, links, images, tables, comments and boilerplate (left out on purpose);"
            " author and date (read, reported in the import notes, not stored yet)"
        ),
    )
)

"""Plain text articles (.txt, .md): one file is one document, without annotations.

Decoding (BOM, UTF-8, legacy encodings), newline normalisation and refusal of binary,
empty or oversized files are done by :func:`annotator.core.textfile.read_article`.
"""
from __future__ import annotations

from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.textfile import read_article
from annotator.formats.registry import Format, register


TITLE_CHOICES = ("first-line", "file-name")


def read_text(path: Path, *, title: str = "first-line", **options) -> list[NewDocument]:
    """Read one article: its title is the first non-blank line (for Markdown without the
    '#' marks) or, with ``title="file-name"``, the file's name without its extension; its
    text is the whole file with newlines as "\\n". Returns one NewDocument. Raises InputError
    naming the file (binary, empty, undecodable, too large, unreadable, unknown option)."""
    path = Path(path)
    if options:
        raise InputError(f"{path.name}: the text format has no option {', '.join(map(repr, options))}")
    if title not in TITLE_CHOICES:
        raise InputError(f"{path.name}: title must be one of {', '.join(TITLE_CHOICES)}, not {title!r}")
    article = read_article(path, title_from_first_line=title == "first-line")
    return [NewDocument(title=article.title, text=article.text, source=article.source, origin=path.name)]


register(Format(
    name="text", description="Plain text article (title = first line, or --option title=file-name)",
    extensions=(".txt", ".md"),
    reader=read_text, carries="the text (title from its first line)",
    cannot_carry="annotations (import only)",
))

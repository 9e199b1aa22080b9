"""Help > About: Annotator's version and licence, the libraries it runs on with their
licences, and the credits of the sample articles.

The library list is read from the installed packages' metadata (:mod:`importlib.metadata`):
Annotator's runtime requirements and theirs, transitively (requirements of extras left
out; a requirement that is not installed, e.g. one for another platform, is skipped). The
PyInstaller bundle copies the same packages' metadata, so it shows the same list.
:func:`library_credits` and :func:`licence_of` are Qt-free.
"""
from __future__ import annotations

import importlib.metadata as metadata
import re
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from annotator import __version__
from annotator.core.resources import resource

DISTRIBUTION = "annotator"
SUMMARY = "Annotate who said what, and with what sentiment, in news articles."
SCHEMES = "Attribution after PARC 3.0 (Pareti 2016); sentiment after MPQA (Wiebe, Wilson & Cardie 2005)."


@dataclass(frozen=True)
class Library:
    """One installed package: ``name`` and ``version`` as its metadata gives them, and
    ``licence`` (see :func:`licence_of`)."""

    name: str
    version: str
    licence: str


def _normal(name: str) -> str:
    """A distribution name compared the PEP 503 way (``PySide6_Essentials`` = ``pyside6-essentials``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(meta) -> str:
    """The licence a package declares: its ``License-Expression``, else a short one-line
    ``License`` field, else its ``License ::`` classifiers, else "not stated"."""
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 80:
        return text
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return ", ".join(classifiers) or "not stated"


def requirement_names(dist: metadata.Distribution) -> list[str]:
    """The names of ``dist``'s requirements, without those of extras (``; extra == "test"``)."""
    names = []
    for requirement in dist.requires or ():
        spec, _, marker = requirement.partition(";")
        if "extra" in marker:
            continue
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        if match:
            names.append(match.group(1))
    return names


def library_credits(root: str = DISTRIBUTION) -> list[Library]:
    """Every installed package ``root`` needs at run time (transitively), sorted by name;
    ``root`` itself is not in the list. Raises PackageNotFoundError if ``root`` is not installed."""
    seen: dict[str, Library] = {}
    todo = requirement_names(metadata.distribution(root))
    while todo:
        name = todo.pop()
        if _normal(name) in seen or _normal(name) == _normal(root):
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform or Python
        seen[_normal(name)] = Library(dist.metadata["Name"], dist.version, licence_of(dist.metadata))
        todo.extend(requirement_names(dist))
    return sorted(seen.values(), key=lambda lib: lib.name.lower())


def own_licence() -> str:
    """Annotator's licence, from its metadata ("MIT" when the metadata cannot be read)."""
    try:
        return licence_of(metadata.metadata(DISTRIBUTION))
    except metadata.PackageNotFoundError:
        return "MIT"


def about_html() -> str:
    """The About tab: name, version, licence, what it is, Qt's version."""
    return (f"<h2>Annotator {escape(__version__)}</h2><p>{escape(SUMMARY)}</p><p>{escape(SCHEMES)}</p>"
            f"<p>Licence: <b>{escape(own_licence())}</b>.</p><p>Built on Qt {escape(qVersion())} (through PySide6).</p>")


def libraries_html() -> str:
    """The Libraries tab: a table of :func:`library_credits`."""
    try:
        libraries = library_credits()
    except metadata.PackageNotFoundError:
        return "<p>The installed packages' metadata cannot be read in this installation.</p>"
    rows = "".join(f"<tr><td>{escape(lib.name)}</td><td>{escape(lib.version)}</td><td>{escape(lib.licence)}</td></tr>"
                   for lib in libraries)
    return ("<p>Annotator runs on these libraries (read from their installed metadata):</p>"
            "<table cellspacing='0' cellpadding='3' border='1'><tr><th align='left'>library</th>"
            f"<th align='left'>version</th><th align='left'>licence</th></tr>{rows}</table>")


def samples_markdown() -> str:
    """The Sample articles tab: resources/samples/README.md (their sources and licences)."""
    item = resource("samples", "README.md")
    return item.read_text(encoding="utf-8") if item.is_file() else "The sample articles' credits are missing."


class AboutDialog(QDialog):
    """Help > About: tabs About, Libraries, Sample articles; no signals of its own.
    ``tabs`` is the QTabWidget (for tests)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle("About Annotator")
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        for title, text, markdown in (("About", about_html(), False), ("Libraries", libraries_html(), False),
                                      ("Sample articles", samples_markdown(), True)):
            browser = QTextBrowser(self.tabs)
            browser.setObjectName(f"about_{title.split()[0].lower()}")
            browser.setOpenExternalLinks(True)
            if markdown:
                browser.setMarkdown(text)
            else:
                browser.setHtml(text)
            self.tabs.addTab(browser, title)
        layout.addWidget(self.tabs)
        note = QLabel(f"Annotator {__version__} · {own_licence()} licence", self)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

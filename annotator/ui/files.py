"""What the window's Import and Export dialogs decide, without Qt: which format a typed file
name asks for, the dialog's filters, and the lists shown in their message boxes."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from annotator.formats.registry import Format, formats

try:
    from annotator.formats.registry import group_lines
except ImportError:  # pragma: no cover - an older registry
    group_lines = None

_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9_-]{0,9}")  # ".conll", ".jsonl"; not ".5 final"


def short_description(fmt: Format) -> str:
    """The format's description up to its first colon ("Annotator JSON"), for menus and
    filters; what it cannot carry is told apart (:func:`cannot_carry_tip`)."""
    return fmt.description.split(":", 1)[0].strip()


def cannot_carry_tip(fmt: Format) -> str:
    """The one text about what ``fmt`` loses: the registry's ``cannot_carry``."""
    return f"Cannot carry: {fmt.cannot_carry}" if fmt.cannot_carry else "Carries everything"


def file_filter(fmt: Format) -> str:
    """The save dialog's filter for a format ("json: Annotator JSON (*.json)"); a folder
    format says that a folder is chosen next."""
    if fmt.writer is None:
        return f"{fmt.name}: {short_description(fmt)} (a folder, chosen next) (*)"
    return f"{fmt.name}: {short_description(fmt)} ({' '.join('*' + e for e in fmt.extensions) or '*'})"


def import_filters(readable: list[Format]) -> str:
    """The open dialog's filters, from the registry: every file a format reads first, then
    one filter per readable format, then all files."""
    every = sorted({"*" + e for f in readable for e in f.extensions})
    per_format = [f"{f.name}: {short_description(f)} ({' '.join('*' + e for e in f.extensions)})"
                  for f in readable if f.extensions]
    return ";;".join([f"Articles and annotations ({' '.join(every)})", *per_format, "All files (*)"])


def typed_extension(name: str) -> str:
    """The extension of a typed file name, lower-case with its dot; "" when it has none
    (a trailing part with spaces or digits only, "Report 3.5 final", is no extension)."""
    suffix = Path(name).suffix
    return suffix.lower() if _EXTENSION.fullmatch(suffix) else ""


def export_target(name: str, selected: Format | None, writable: list[Format] | None = None) -> tuple[Path, Format]:
    """The file and format an Export dialog's answer asks for: ``name`` as typed,
    ``selected`` the format of the chosen filter.

    - the typed extension names a format that writes files: that format (for extensions
      several formats write, .json / .jsonl / .csv: the selected one if it writes that
      extension, else the first one in the registry's order);
    - no extension: the selected format, and its extension is appended;
    - an extension no format writes: the selected format, the name as typed.

    Folder formats (brat) are never chosen by an extension; ValueError when nothing fits
    (no format selected and none named by the extension)."""
    writable = [f for f in (writable if writable is not None else formats()) if f.writer is not None]
    path = Path(name)
    extension = typed_extension(name)
    if extension:
        owners = [f for f in writable if extension in f.extensions]
        if owners:
            return path, selected if selected in owners else owners[0]
    if selected is None or selected.writer is None:
        raise ValueError(f"{path.name}: no format writes {extension or 'files without an extension'}")
    if not extension and selected.extensions:
        path = path.with_name(path.name + selected.extensions[0])
    return path, selected


def grouped(lines: list[str]) -> list[str]:
    """``lines`` in their first order, each once; a line that came N times ends with "(×N)"
    (the registry's ``group_lines``, as the command line prints them)."""
    if group_lines is not None:
        return group_lines(lines)
    counts = Counter(lines)  # pragma: no cover - a registry without group_lines
    return [f"{line} (×{counts[line]})" if counts[line] > 1 else line for line in dict.fromkeys(lines)]


def preview(lines: list[str], limit: int = 6) -> str:
    """The first ``limit`` lines, then how many more there are."""
    shown = "\n".join(f"• {line}" for line in lines[:limit])
    more = len(lines) - limit
    return shown + (f"\n… and {more} more (Show Details…)" if more > 0 else "")


# --- files dropped on the window ------------------------------------------------------------

PROJECT_SUFFIXES = (".annotator", ".db")  # a project file (".annotator.db", ".db" of earlier versions)
OPEN, IMPORT, REFUSE = "open", "import", "refuse"


def is_project_file(path: Path) -> bool:
    """True if ``path`` is named as a project is (``*.annotator``, ``*.annotator.db``, ``*.db``):
    by its name only, the file is not opened."""
    return not path.is_dir() and path.suffix.lower() in PROJECT_SUFFIXES


def drop_plan(paths: list[Path]) -> tuple[str, list[Path], str]:
    """What a drop of ``paths`` on the window does: ``(OPEN, [project], "")`` for one project
    file, ``(IMPORT, paths, "")`` for articles, annotated files and folders (one import, all
    or nothing), ``(REFUSE, [], message)`` for nothing, several projects, or a project with
    other files."""
    if not paths:
        return REFUSE, [], "Nothing to open: drop a project, or articles and folders to import."
    projects = [p for p in paths if is_project_file(p)]
    if not projects:
        return IMPORT, list(paths), ""
    if len(paths) == 1:
        return OPEN, projects, ""
    return REFUSE, [], ("Drop one project to open it, or articles and folders to import them; "
                        f"{len(projects)} project(s) came with {len(paths) - len(projects)} other item(s).")

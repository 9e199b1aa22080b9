"""The ``annotator`` command: the window (no subcommand) and import / export / stats / formats.

    annotator [--project FILE | FILE]               open the window (on FILE: a .annotator or .db project)
    annotator --annotator NAME ...                  who annotates (the window, import: NAME's layer)
    annotator --version                             print the version
    annotator import PATH... [--format NAME] [--skip-bad] [--annotator NAME] [--option KEY=VALUE]
    annotator export [--format NAME] [--output FILE] [--report FILE] [--option KEY=VALUE] [--annotator NAME]
                     [--document ID]... [--status STATUS] [--overwrite]
    annotator stats [--json] [--annotator NAME|all]  (default: the gold layer when there is one)
    annotator formats
    annotator backup                                back up the project now
    annotator backups                               list the project's backups, newest first
    annotator restore BACKUP                        put a backup (file, or number in the list) back
    annotator agreement [--json] [--gold NAME]      agreement between annotators (cli_agreement.py)
    annotator merge OTHER_PROJECT...                other projects' annotator layers (cli_merge.py)
    annotator adjudicate --strategy unanimous|majority|at-least [--min N] pre-merge agreed annotations into gold (cli_adjudicate.py)

``--project FILE`` may be given before or after the subcommand; without it the default
project is used (see :mod:`annotator.core.project`). Every failure exits with status 1 and
ONE line ``annotator: error: <message>`` on stderr (set ANNOTATOR_DEBUG=1 to see the
traceback of an unexpected error); usage errors exit 2 as usual with click.

This module never imports Qt: the window's module is imported only to open the window.
"""
from __future__ import annotations

import importlib
import io
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from annotator import __version__
from annotator.core.errors import AnnotatorError, InputError


class CliError(click.ClickException):
    """A failure shown as ``annotator: error: <message>``, exit status 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"annotator: error: {self.message}", err=True)


def error_message(exc: BaseException) -> str:
    """One line describing ``exc`` for the user."""
    from annotator.core.store.opening import database_error_text

    if isinstance(exc, AnnotatorError):
        text = str(exc)
    elif database_error_text(exc) is not None:
        text = database_error_text(exc)
    elif isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        text = f"{where}{exc.strerror or exc}"
    else:
        text = f"internal error ({exc.__class__.__name__}: {exc}); run with ANNOTATOR_DEBUG=1 for details"
    return " ".join(text.split()) or exc.__class__.__name__


class _Group(click.Group):
    """A click group that turns every error into one ``annotator: error:`` line, and reads
    ``annotator PATH`` (a project file, as the file manager passes it) as ``--project PATH``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = next((i for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] not in ("--project", "--annotator"))), None)
        if first is not None and args[first] not in self.commands and _looks_like_project(args[first]):
            args = [*args[:first], "--project", args[first], *args[first + 1:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # the reader of stdout went away (annotator export | head)
            _silence_stdout()
            raise click.exceptions.Exit(1) from None
        except Exception as exc:  # noqa: BLE001 - the user gets a message, never a traceback
            if os.environ.get("ANNOTATOR_DEBUG") and not isinstance(exc, AnnotatorError):
                raise
            raise CliError(error_message(exc)) from None


PROJECT_SUFFIXES = (".annotator", ".db")  # .annotator; .db: projects made before the extension


def _looks_like_project(arg: str) -> bool:
    """True for an existing file or a name ending in a project extension (a mistyped
    command stays a usage error instead of becoming a new project)."""
    return arg.lower().endswith(PROJECT_SUFFIXES) or Path(arg).is_file()


def _silence_stdout() -> None:
    """Point stdout at the null device so that Python's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


project_option = click.option(
    "--project", "project", type=click.Path(path_type=Path), default=None, metavar="FILE",
    help="Project file (import creates it when absent). Default: the default project.",
)
annotator_option = click.option(
    "--annotator", "annotator", default=None, metavar="NAME",
    help="Who annotates: what is written is that annotator's layer (import: the files' annotations).",
)
layer_option = click.option(
    "--annotator", "annotator", default=None, metavar="NAME",
    help="Count NAME's layer ('all': every layer). Default: the gold layer when there is one, else every layer.",
)
option_option = click.option(
    "--option", "options", multiple=True, metavar="KEY=VALUE", help="A format option (repeatable).",
)


def _options(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--option {pair!r}: expected KEY=VALUE")
        out[key.strip()] = value
    return out


@contextmanager
def _project(ctx: click.Context, local: Path | None, create: bool = True) -> Iterator:
    """The project of ``--project`` (after or before the command) or the default project.
    A named project file that does not exist, or is empty (0 bytes), is made a project only
    when ``create``: a command that only reads refuses it (InputError naming it)."""
    from annotator.core.project import default_project_path
    from annotator.services.projects import open_project

    path = local or (ctx.obj or {}).get("project")
    if path is not None and not create and not path.exists():
        raise InputError(f"{path}: no such project (importing into it creates it)")
    if not create and path is not None and path.is_file() and path.stat().st_size == 0:
        from annotator.core.store.opening import refuse_emptied

        refuse_emptied(path)  # an emptied project with backups says how to restore one
        raise InputError(f"{path}: an empty file, not a project (a command that only reads never makes one)")
    if path is None and not default_project_path().exists():
        click.echo(f"annotator: creating the default project {default_project_path()} with the sample articles", err=True)
    store = open_project(path, annotator=(ctx.obj or {}).get("annotator") or "")
    try:
        yield store
    finally:
        store.close()


def _read_layer(ctx: click.Context, store, annotator: str | None, what: str) -> str | None:
    """The layer a reading command counts, chosen as exports choose it
    (:func:`~annotator.services.layer_export.export_layer`): the command's ``--annotator``
    or else the global one, ``all`` for every layer (None), by default the gold layer when
    the project has one (then a note on stderr says so), else every layer (None)."""
    from annotator.services.layer_export import export_layer

    requested = annotator if annotator is not None else (ctx.obj or {}).get("annotator")
    layer = export_layer(store, requested)
    if layer == "gold" and requested is None:
        click.echo(f"annotator: note: {what} the gold layer (--annotator all: every layer, --annotator NAME: NAME's)",
                   err=True)
    return layer


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@project_option
@annotator_option
@click.version_option(__version__, "--version", "-V", prog_name="annotator", message="%(prog)s %(version)s")
@click.option("--quit-after-load", is_flag=True, help="Close the window once it has shown the project (for checks of a build).")
@click.pass_context
def main(ctx: click.Context, project: Path | None, annotator: str | None = None, quit_after_load: bool = False) -> None:
    """Annotate news articles: speakers, cues, claims and their sentiment.

    Without a command, opens the window (on PROJECT_FILE when given: 'annotator my.annotator')."""
    ctx.ensure_object(dict).update(project=project, annotator=annotator)
    if ctx.invoked_subcommand is None:
        try:  # imported by name: the window (and Qt) only when it is opened (see pyproject's import contract)
            app = importlib.import_module("annotator.ui.app")
        except ImportError as exc:
            raise AnnotatorError(f"cannot open the window ({exc}); the commands still work, see 'annotator --help'") from None
        extra = {"annotator": annotator} if annotator is not None else {}  # else: the window asks / remembers
        sys.exit(app.run(project, quit_after_load=True, **extra) if quit_after_load else app.run(project, **extra))


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@project_option
@click.option("--format", "fmt", metavar="NAME", help="Read every file in this format (default: by extension).")
@click.option("--skip-bad", is_flag=True, help="Skip files that cannot be imported (listed) instead of importing nothing.")
@annotator_option
@option_option
@click.pass_context
def import_command(ctx, paths, project, fmt, skip_bad, annotator, options) -> None:
    """Import files and folders, all in one step: a bad file stops the whole import.

    With --annotator NAME the files' annotations are NAME's layer: a document whose text is
    already in the project gets them as another layer when NAME has none there yet."""
    if annotator is not None:
        if not annotator.strip():
            raise InputError("--annotator: the name is empty")
        ctx.ensure_object(dict)["annotator"] = annotator.strip()
    from annotator.core.store.file_guard import refuse_project_target
    from annotator.services.importing import import_paths

    for path in paths:  # reading them would drop this process's locks on the project
        refuse_project_target(path, _project_path(ctx, project), "import")
    with _project(ctx, project) as store:
        with FileProgress("Importing") as progress:
            report = import_paths(store, list(paths), fmt=fmt, skip_bad=skip_bad, options=_options(options),
                                  progress=progress if stderr_is_terminal() else None)
    for note in report.notes:
        click.echo(f"annotator: note: {note}", err=True)
    click.echo(import_summary(report), err=True)
    if len(report.skipped) > 1:
        for line in report.skipped:
            click.echo(f"annotator: skipped: {line}", err=True)


def stderr_is_terminal() -> bool:
    """A progress bar is drawn only on a terminal: a pipe or a log gets nothing extra."""
    return sys.stderr.isatty()


class FileProgress:
    """``progress(done, total, name)`` for :func:`~annotator.services.importing.import_paths`:
    a ``click.progressbar`` on stderr, made at the first call (when the number of files is
    known) and finished on leaving the ``with`` block. Never cancels."""

    def __init__(self, label: str):
        self.label, self.bar = label, None

    def __enter__(self) -> "FileProgress":
        return self

    def __call__(self, done: int, total: int, name: str) -> bool:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos, name or None)
        return True

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


class DocumentProgress(FileProgress):
    """``progress(done, total)`` for :func:`~annotator.services.importing.export_to`: the
    same bar, counting documents."""

    def __call__(self, done: int, total: int, name: str = "") -> bool:
        return super().__call__(done, total, name)


def import_summary(report) -> str:
    """One line: "imported 3 documents (12 spans); skipped 1: x.txt: already in the project"
    (with several skipped, only their number: the caller lists them)."""
    n = len(report.added)
    line = f"imported {n} document{'s' * (n != 1)} ({report.spans} span{'s' * (report.spans != 1)})"
    joined = len(getattr(report, "joined", ()))
    if joined:
        line += f"; annotations added to {joined} document{'s' * (joined != 1)} already in the project"
    if len(report.skipped) == 1:
        line += f"; skipped 1: {report.skipped[0]}"
    elif report.skipped:
        line += f"; skipped {len(report.skipped)}"
    if getattr(report, "joined", None):  # same text, another annotator's annotations
        line += f"; joined {len(report.joined)} already in the project"
    return line


MAX_REPORT_LINES = 30  # "not exported" lines printed by export; the rest: --report FILE


@main.command("export")
@click.option("--format", "fmt", default=None, metavar="NAME",
              help="Format name (see 'annotator formats'). Default: the one the output's extension names "
                   "(x.conll: conll), else json.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="File (or folder, for folder formats) to write. Default: standard output.")
@click.option("--overwrite", is_flag=True,
              help="For folder formats (brat): replace files of the same names already in the folder.")
@click.option("--report", "report_file", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Write every line of the export report (notes, what was not exported) to FILE.")
@click.option("--document", "documents", type=int, multiple=True, metavar="ID",
              help="Export only this document (repeatable; its id, as 'annotator search --json' and exports give it).")
@click.option("--status", "status", default=None, metavar="STATUS", help="Export only documents of this status (done...).")
@project_option
@annotator_option
@option_option
@click.pass_context
def export_command(ctx, fmt, output, report_file, overwrite, documents, status, project, annotator, options) -> None:
    """Export the documents of the project (--document ID / --status STATUS: only those):
    the gold layer when there is one, else every layer (--annotator NAME: only NAME's layer;
    --annotator all: every layer).

    What the format cannot carry is printed on stderr ("annotator: not exported: ...",
    identical lines once with their count, at most 30 lines: --report FILE has them all),
    and what to know about the file ("annotator: note: ...")."""
    from annotator.core.store.file_guard import refuse_project_target
    from annotator.services.importing import export_scope, export_to, output_file

    fmt = export_format(fmt, output)
    target = _project_path(ctx, project)
    refuse_project_target(output, target, "export")  # before anything is opened or written
    refuse_project_target(report_file, target, "report")
    if report_file is not None:
        report_file = output_file(report_file, "report")
    if report_file is not None and (report_file.is_dir() or not report_file.absolute().parent.is_dir()):
        raise InputError(f"{report_file}: cannot write the report there (a folder, or its folder does not exist)")
    with _project(ctx, project, create=False) as store:
        from annotator.services.layer_export import export_layer  # gold by default, when there is one

        layer = export_layer(store, annotator if annotator is not None else (ctx.obj or {}).get("annotator"))
        if layer == "gold" and annotator is None:
            click.echo("annotator: note: exporting the gold layer (--annotator all: every layer, --annotator NAME: NAME's)", err=True)
        ids = export_scope(store, documents or None, status) if documents or status else None  # None: all, streamed
        with DocumentProgress("Exporting") as progress:
            report = export_to(store, fmt, output, ids, options=_options(options), layer=layer,
                               progress=progress if stderr_is_terminal() else None, replace=overwrite)
        count = len(ids) if ids is not None else store.document_count()
    if report_file is not None:
        report_file.write_text("".join(f"note: {line}\n" for line in report.notes)
                               + "".join(f"not exported: {line}\n" for line in report.dropped), encoding="utf-8")
    for line in report_lines(report, report_file):
        click.echo(line, err=True)
    if output is not None:
        click.echo(f"exported {count} document{'s' * (count != 1)} to {output}", err=True)


def export_format(fmt: str | None, output: Path | None) -> str:
    """The format an export writes: ``fmt`` when given, else the one writable format whose
    extension the output has (``x.conll``: conll; ``.json`` and ``.jsonl`` are Annotator's
    own), else json. Raises InputError when ``fmt`` is given and the output's extension
    belongs to other writable formats only (``--format json -o x.conll`` wrote JSON into a
    .conll file without a word)."""
    from annotator.formats.registry import formats

    suffix = output.suffix.lower() if output is not None else ""
    named = [f.name for f in formats() if f.can_write and suffix and suffix in f.extensions]
    if fmt is None:
        return "json" if not named or "json" in named else "jsonl" if "jsonl" in named else named[0]
    if named and fmt not in named:
        raise InputError(f"{output}: the extension {suffix} is that of the {' or '.join(named)} format, "
                         f"not {fmt}; name the file for its format (or leave out --format); nothing was written")
    return fmt


def report_lines(report, report_file: Path | None = None, limit: int = MAX_REPORT_LINES) -> list[str]:
    """The stderr lines for an ExportReport: its notes, then what was not exported, identical
    lines grouped with their count "(×N)", at most ``limit`` of them and then
    "… and N more (see --report FILE)"."""
    from annotator.formats.registry import group_lines

    out = [f"annotator: note: {line}" for line in group_lines(report.notes)]
    dropped = group_lines(report.dropped)
    shown = dropped if len(dropped) <= limit else dropped[:limit - 1]
    out += [f"annotator: not exported: {line}" for line in shown]
    if len(shown) < len(dropped):
        where = f"all in {report_file}" if report_file is not None else "see --report FILE"
        out.append(f"annotator: not exported: … and {len(dropped) - len(shown)} more ({where})")
    return out


@main.command("stats")
@project_option
@layer_option
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.pass_context
def stats_command(ctx, project, annotator, as_json) -> None:
    """Documents, spans per label, claims per speaker and suggestions (--json: every figure of
    the Statistics panel too: polarity per speaker, claims per document, documents done per
    day, suggestions accepted vs rejected per label and origin), of one layer as exports
    take it: the gold layer when there is one, else every layer (--annotator NAME: NAME's)."""
    from annotator.core.store.statistics import figures  # the Statistics panel's figures too

    with _project(ctx, project, create=False) as store:
        stats = figures(store, layer=_read_layer(ctx, store, annotator, "counting"))
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    click.echo(f"documents: {stats['documents']}")
    click.echo("spans:")
    for label, n in stats["spans"].items():
        click.echo(f"  {label}: {n}")
    click.echo("claims per speaker:")
    for name, n in stats["claims_per_speaker"].items():
        click.echo(f"  {name}: {n}")
    if not stats["claims_per_speaker"]:
        click.echo("  (no claims)")
    fates = stats["suggestions"]
    if any(fates[k] for k in ("accepted", "rejected", "suggested")):
        click.echo(f"suggestions: {fates['accepted']} accepted, {fates['rejected']} rejected, "
                   f"{fates['suggested']} waiting")


@main.command("formats")
def formats_command() -> None:
    """The file formats Annotator reads and writes."""
    from annotator.formats.registry import formats

    for fmt in formats():
        ways = ", ".join(w for w, ok in (("read", fmt.can_read), ("write", fmt.can_write)) if ok)
        click.echo(f"{fmt.name:<12} {' '.join(fmt.extensions) or '(folder)':<14} {ways:<12} {fmt.description}")
        if fmt.cannot_carry:
            click.echo(f"{'':<12} cannot carry: {fmt.cannot_carry}")


# --- backups ---------------------------------------------------------------------------------------


def _project_path(ctx: click.Context, local: Path | None) -> Path:
    from annotator.core.project import default_project_path

    return local or (ctx.obj or {}).get("project") or default_project_path()


@main.command("backup")
@project_option
@click.pass_context
def backup_command(ctx, project) -> None:
    """Back up the project now (into FILE.backups/ next to it; the newest 10 are kept)."""
    from annotator.core.store.backup import make_backup

    with _project(ctx, project, create=False) as store:
        path = make_backup(store, reason="manual")
    click.echo(str(path))


@main.command("backups")
@project_option
@click.pass_context
def backups_command(ctx, project) -> None:
    """List the project's backups, newest first (number, time, reason, documents, size, file)."""
    from annotator.core.store.backup import list_backups

    path = _project_path(ctx, project)
    backups = list_backups(path)
    if not backups:
        click.echo(f"annotator: no backups of {path}", err=True)
        return
    for number, info in enumerate(backups, 1):
        docs = "?" if info.documents is None else str(info.documents)
        click.echo(f"{number:>3}  {info.created:%Y-%m-%d %H:%M:%S} UTC  {info.reason:<16} "
                   f"{docs:>5} docs  {info.size / 1024:>9.1f} KB  {info.path}")


@main.command("restore")
@click.argument("backup", metavar="BACKUP")
@project_option
@click.pass_context
def restore_command(ctx, backup, project) -> None:
    """Put BACKUP (a backup file, or its number in 'annotator backups') back as the project.

    The project as it is now is backed up first (reason "before-restore"). Close the window
    on this project before restoring."""
    from annotator.core.store.backup import list_backups, restore_backup

    path = _project_path(ctx, project)
    source = Path(backup)
    if backup.isdigit() and not source.exists():
        backups = list_backups(path)
        if not 1 <= int(backup) <= len(backups):
            raise InputError(f"no backup number {backup} of {path} (see 'annotator backups')")
        source = backups[int(backup) - 1].path
    before = restore_backup(source, path)
    line = f"restored {path} from {source}"
    if before is not None:
        line += f"; the project as it was is saved in {before}"
    click.echo(line, err=True)


# Commands of their own modules (after main: they use this module's helpers).
from annotator import cli_adjudicate, cli_agreement, cli_merge, cli_search, cli_suggest  # noqa: E402

for command in (cli_search.search_command, cli_search.claims_command,
                cli_suggest.suggest_command, cli_suggest.evaluate_command,
                cli_agreement.agreement_command, cli_merge.merge_command, cli_adjudicate.adjudicate_command):
    main.add_command(command)

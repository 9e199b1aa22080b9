"""``annotator merge OTHER... [--project P]``: bring other projects' annotations into P, one
layer per annotator (issue 11). What happens to each document and annotator:
:mod:`annotator.services.merging`. Registered in :mod:`annotator.cli`; never imports Qt.
"""
from __future__ import annotations

from pathlib import Path

import click

from annotator.core.errors import InputError

MAX_LINES = 30


@click.command("merge")
@click.argument("others", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="OTHER_PROJECT...")
@click.option("--project", "project", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Project to merge into (created when absent). Default: the default project.")
@click.pass_context
def merge_command(ctx, others, project) -> None:
    """Merge other projects into this one: documents matched by their text, each annotator's
    annotations as their layer; nothing overwritten, a second run changes nothing, and an
    annotator who annotated a document differently in both is listed as a conflict."""
    from annotator.cli import _project, _project_path
    from annotator.core.store import Store
    from annotator.core.store.file_guard import is_project_file
    from annotator.services.merging import merge_project

    target = _project_path(ctx, project)
    for path in others:
        if not path.is_file():
            raise InputError(f"{path}: no such project")
        kind = is_project_file(path, target)  # compares paths and stat identities, opens nothing
        if kind is not None:
            raise InputError(f"{path}: {kind} {target}: this is the project merged into")
    with _project(ctx, project) as store:
        for path in others:
            other = Store.open(path, read_only=True)
            try:
                report = merge_project(store, other, str(path))
            finally:
                other.close()
            lines = [f"annotator: note: {line}" for line in report.notes]
            lines += [f"annotator: conflict: {line}" for line in report.conflicts]
            for line in lines[:MAX_LINES]:
                click.echo(line, err=True)
            if len(lines) > MAX_LINES:
                click.echo(f"annotator: … and {len(lines) - MAX_LINES} more", err=True)
            click.echo(f"merged {path}: {len(report.added)} new document{'s' * (len(report.added) != 1)}, "
                       f"{len(report.joined)} annotator layer{'s' * (len(report.joined) != 1)} added to documents "
                       f"already here, {report.unchanged} already here unchanged, "
                       f"{len(report.conflicts)} conflict{'s' * (len(report.conflicts) != 1)}", err=True)

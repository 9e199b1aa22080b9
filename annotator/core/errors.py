"""Errors the core raises for bad input; the CLI and the window show their message."""


class AnnotatorError(Exception):
    """Base of the errors Annotator reports to the user as a one-line message."""


class InputError(AnnotatorError, ValueError):
    """A file or value given to Annotator cannot be used; the message names it and says why."""


class ReadOnlyError(AnnotatorError):
    """The project was opened read-only (its file or folder cannot be written): no edit is
    possible. The message names the file and says why; ``Store.read_only_reason`` too."""


class StoreBusyError(AnnotatorError):
    """Another program (or another Annotator window) holds the project's write lock longer
    than the busy timeout. The edit was NOT applied; the caller may retry it."""


class StoreWriteError(AnnotatorError):
    """Writing the project failed (disk full, input/output error, damaged file). The
    transaction was rolled back: nothing was changed."""


class ChangedElsewhereError(AnnotatorError):
    """An undo or redo was refused because a row it would write is no longer as the edit
    left it (another window or program changed or deleted it meanwhile). Nothing was
    written; the message names the first row found changed."""

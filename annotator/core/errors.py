"""Errors the core raises for bad input; the CLI and the window show their message."""


class AnnotatorError(Exception):
    """Base of the errors Annotator reports to the user as a one-line message."""


class InputError(AnnotatorError, ValueError):
    """A file or value given to Annotator cannot be used; the message names it and says why."""

"""Where the default project lives.

The default project is ``<user data folder>/default.annotator.db``; the folder is
``appdirs.user_data_dir("Annotator", "Annotator")`` unless the environment variable
``ANNOTATOR_DATA_DIR`` names another one (tests set it so that nothing touches the real
user folder). Pure Python (never imports Qt). Opening it, with the sample articles when it
is new, drives a format and is a service: :func:`annotator.services.projects.open_project`.
"""
from __future__ import annotations

import os
from pathlib import Path

import appdirs

DATA_DIR_ENV = "ANNOTATOR_DATA_DIR"
DEFAULT_PROJECT_NAME = "default.annotator.db"


def data_dir() -> Path:
    """The folder of the default project: ``$ANNOTATOR_DATA_DIR`` if set, else the user's
    data folder for Annotator (e.g. ~/.local/share/Annotator on Linux). Not created here."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(appdirs.user_data_dir("Annotator", "Annotator"))


def default_project_path() -> Path:
    """The default project file, ``data_dir() / "default.annotator.db"``."""
    return data_dir() / DEFAULT_PROJECT_NAME

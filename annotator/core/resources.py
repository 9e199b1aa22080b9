"""Where the shipped resources (schemas, sample articles) are.

In a source checkout or an editable install they are the top-level ``resources/`` folder;
in a built wheel the same folder is installed as the package ``annotator.resources``.
"""
from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


def resources_root() -> Traversable:
    """The resources folder as a Traversable (a Path in a checkout)."""
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if (checkout / "schemas").is_dir():
        return checkout
    return files("annotator.resources")


def resource(*parts: str) -> Traversable:
    """One file or folder inside the resources folder, e.g. ``resource("schemas", "news.json")``."""
    return resources_root().joinpath(*parts)

"""``annotator --version``, ``annotator PATH`` (how the file manager opens a project) and
``--quit-after-load``; the window is a fake ``annotator.ui.app`` module (no Qt)."""
from __future__ import annotations

import importlib.metadata
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator import __version__
from annotator.cli import main


@pytest.fixture
def opened(monkeypatch, tmp_path):
    """The (project, quit_after_load) of every window the command line opens."""
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "userdata"))
    calls = []
    fake = types.ModuleType("annotator.ui.app")
    fake.run = lambda project, quit_after_load=False: calls.append((project, quit_after_load)) or 0
    monkeypatch.setitem(sys.modules, "annotator.ui.app", fake)
    return calls


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_the_package_version(flag):
    result = invoke(flag)
    assert result.exit_code == 0 and result.stdout == f"annotator {__version__}\n"
    assert __version__ == importlib.metadata.version("annotator")


@pytest.mark.parametrize("name", ["p.annotator", "old.db", "Project.ANNOTATOR"])
def test_a_project_path_opens_the_window_on_it(opened, tmp_path, name):
    assert invoke(tmp_path / name).exit_code == 0
    assert opened == [(tmp_path / name, False)]


def test_an_existing_file_of_any_name_opens_as_a_project(opened, tmp_path):
    (tmp_path / "corpus").write_bytes(b"")
    assert invoke(tmp_path / "corpus").exit_code == 0 and opened == [(tmp_path / "corpus", False)]


def test_project_option_still_works_and_quit_after_load_is_passed(opened, tmp_path):
    assert invoke("--project", tmp_path / "p.annotator").exit_code == 0
    assert invoke(tmp_path / "q.annotator", "--quit-after-load").exit_code == 0
    assert invoke("--quit-after-load").exit_code == 0
    assert opened == [(tmp_path / "p.annotator", False), (tmp_path / "q.annotator", True), (None, True)]


def test_a_mistyped_command_stays_a_usage_error(opened):
    result = invoke("exprot")
    assert result.exit_code == 2 and "No such command 'exprot'" in result.stderr and opened == []


def test_commands_are_not_taken_for_projects(opened, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Coach Brennan said the team will win.\n", encoding="utf-8")
    result = invoke("--project", tmp_path / "formats.annotator", "import", article)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "formats.annotator").is_file() and opened == []
    result = invoke("stats", "--project", tmp_path / "formats.annotator")
    assert result.exit_code == 0 and "documents: 1" in result.stdout


def test_a_project_path_with_a_command_after_it_is_the_commands_project(opened, tmp_path):
    """``annotator my.annotator stats``: the path before the command is its project."""
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge will open.\n", encoding="utf-8")
    assert invoke("--project", tmp_path / "m.annotator", "import", article).exit_code == 0
    result = invoke(tmp_path / "m.annotator", "stats")
    assert result.exit_code == 0 and "documents: 1" in result.stdout and opened == []

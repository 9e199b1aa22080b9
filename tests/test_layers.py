"""The layers hold: import-linter's contracts in pyproject.toml (the core never imports Qt;
window above command line above services above formats above core), every top-level
module is in a layer, and no module outside the store package imports ``sqlite3``."""
from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "annotator"
STORE = PACKAGE / "core" / "store"



def _lint() -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    cmd = [str(lint)] if lint.exists() else [sys.executable, "-m", "importlinter.cli"]
    return subprocess.run(cmd + [str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)


def test_import_linter_contracts_hold():
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_the_layers_are_window_command_line_services_formats_core():
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    heads = [layer.replace(":", "|").split("|")[0].strip() for layer in layers]
    assert heads == ["annotator.ui", "annotator.cli", "annotator.services", "annotator.formats", "annotator.core"]


def test_every_top_level_module_is_in_a_layer():
    """A new ``annotator/cli_<topic>.py`` (or any new top-level module or package) must be
    named in the layers contract, else import-linter would not check it."""
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    named = {name.strip().strip("()") for layer in layers for name in layer.replace(":", "|").split("|")}
    top = {f"annotator.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    top |= {f"annotator.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")}
    assert top - named == set(), "add these to the layers contract in pyproject.toml"


def _imports_sqlite3(path: Path) -> list[int]:
    """Lines of ``path`` that import sqlite3 (``import sqlite3``, ``import sqlite3 as x``,
    ``from sqlite3 import ...``, at any depth: inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "sqlite3" for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlite3" and not node.level:
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant) \
                and str(node.args[0].value).split(".")[0] == "sqlite3":
            lines.append(node.lineno)
    return lines


def test_sqlite3_is_imported_only_inside_the_store_package():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if STORE in path.parents:
            continue
        name = path.relative_to(ROOT).as_posix()
        lines = _imports_sqlite3(path)
        if lines:
            found[name] = lines
    assert found == {}, f"sqlite3 imported outside annotator/core/store/: {found}"


def test_the_sqlite3_scan_finds_every_form_of_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os, sqlite3 as db\nfrom sqlite3 import Error\n"
                      "def f():\n    import sqlite3\n    importlib.import_module('sqlite3')\n"
                      "from .sqlite3 import x\n", encoding="utf-8")
    assert _imports_sqlite3(sample) == [1, 2, 4, 5]


def test_core_modules_import_without_qt():
    code = (
        "import sys, pkgutil, importlib, annotator.core, annotator.formats, annotator.services, annotator.cli\n"
        "for pkg in (annotator.core, annotator.formats, annotator.services):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "import annotator.formats.registry as r; r.formats()\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6') or m.startswith('annotator.ui')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_core_imports_no_format_and_no_service():
    code = (
        "import sys, pkgutil, importlib, annotator.core\n"
        "for m in pkgutil.walk_packages(annotator.core.__path__, 'annotator.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('annotator.formats', 'annotator.services'))]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

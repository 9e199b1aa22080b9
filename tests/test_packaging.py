"""A built (non-editable) install holds every package, the schema and the samples."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "annotator").rglob("__init__.py")}
    assert found - listed == set(), "packages missing from pyproject.toml"
    assert "annotator.resources" in listed


def test_the_wheel_holds_the_code_and_the_resources(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    wheel, = tmp_path.glob("annotator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("annotator/core/store/store.py", "annotator/formats/native.py", "annotator/ui/main_window.py",
                   "annotator/resources/schemas/news.json", "annotator/resources/samples/us_russia_talks.annotator.json"):
        assert needed in names

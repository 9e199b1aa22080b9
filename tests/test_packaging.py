"""A built (non-editable) install holds every package, the schema, the samples and the icons,
and gives the ``annotator`` command and the ``annotator-gui`` GUI entry point."""
from __future__ import annotations

import configparser
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from annotator import __version__

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout, built once for the module (pip wheel, no dependencies)."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found, = out.glob("annotator-*.whl")
    return found


def test_every_package_folder_is_listed_in_pyproject():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "annotator").rglob("__init__.py")}
    assert found - listed == set(), "packages missing from pyproject.toml"
    assert "annotator.resources" in listed


def test_the_wheel_holds_the_code_and_the_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("annotator/core/store/store.py", "annotator/formats/native.py", "annotator/ui/main_window.py",
                   "annotator/ui/toolbar.py", "annotator/ui/about.py",
                   "annotator/resources/schemas/news.json", "annotator/resources/samples/us_russia_talks.annotator.json",
                   "annotator/resources/samples/README.md", "annotator/resources/icons/app/annotator.svg",
                   "annotator/resources/icons/actions/mark-claim.svg", "annotator/resources/icons/panels/speakers.svg"):
        assert needed in names
    shipped = {n.removeprefix("annotator/") for n in names if n.startswith("annotator/resources/")}
    in_checkout = {f"resources/{p.relative_to(ROOT / 'resources').as_posix()}" for p in (ROOT / "resources").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
    assert in_checkout - shipped == set(), "resource files missing from the wheel (package-data in pyproject.toml)"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert f"annotator/resources/icons/app/annotator-{size}.png" in names


def test_the_wheel_declares_the_command_and_the_gui_entry_point(wheel):
    archive = zipfile.ZipFile(wheel)
    info = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
    entry_points = configparser.ConfigParser()
    entry_points.read_string(archive.read(info).decode("utf-8"))
    assert dict(entry_points["console_scripts"]) == {"annotator": "annotator.cli:main"}
    assert dict(entry_points["gui_scripts"]) == {"annotator-gui": "annotator.cli:main"}
    metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    assert f"\nVersion: {__version__}\n" in metadata
    assert "Provides-Extra: bundle" in metadata and "pyinstaller" in metadata.lower()


def test_a_fresh_venv_with_the_wheel_runs_both_programs(wheel, tmp_path):
    """pip install (not editable) of the wheel into a new venv: both programs, the version,
    and the default project made from the resources inside the install. The libraries
    come from this test's environment through a .pth line (no download)."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    purelib = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                             "--no-index", str(wheel)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (purelib / "outer-libraries.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = dict(os.environ, ANNOTATOR_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    where = subprocess.run([python, "-c", "import annotator, annotator.resources as r; print(annotator.__file__); print(r.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True).stdout.split()
    assert all(Path(w).is_relative_to(purelib) for w in where), where  # the installed copy, not this checkout
    for program in ("annotator", "annotator-gui"):
        result = subprocess.run([bindir / program, "--version"], capture_output=True, text=True, env=env, cwd=tmp_path)
        assert result.returncode == 0 and result.stdout.strip() == f"annotator {__version__}", result.stderr
    result = subprocess.run([bindir / "annotator", "import", ROOT / "tests" / "data" / "html" / "news_article.html"],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "creating the default project" in result.stderr  # with the samples read from the installed package
    result = subprocess.run([bindir / "annotator", "stats", "--json"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert '"documents": 10' in result.stdout, result.stdout + result.stderr

"""The PyInstaller bundle, built and checked by packaging/build_bundle.py (minutes: run with
--runslow). The script builds from a fresh non-editable install, starts the bundled window
offscreen on the sample project, exports JSON from the bundled command line and compares it
with the pip install's; it exits 0 only when every check passed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_the_bundle_builds_runs_and_exports(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build_bundle.py"), "--work", str(tmp_path / "bundle"),
                             "--runs", "1"], capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "build_bundle: OK: annotator " in result.stdout
    assert "JSON export of 55 spans equal to the pip install's" in result.stdout
    assert (tmp_path / "bundle" / "dist" / "annotator" / "annotator-gui").is_file()

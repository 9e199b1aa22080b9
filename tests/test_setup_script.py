"""packaging/setup.sh stays quiet unless something fails (issue 10): pip's and setuptools'
chatter is shown only when the install fails. Run against a stand-in pip (a fake
``.venv/bin/python`` that prints deprecation lines), so no package is installed."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

SETUP = Path(__file__).resolve().parents[1] / "packaging" / "setup.sh"
NOISE = "\n".join(f"DEPRECATION: setuptools.installer is deprecated ({n})" for n in range(300))


def _executable(path: Path, body: str) -> None:
    path.write_text("#!/usr/bin/env bash\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _run(tmp_path: Path, install_fails: bool) -> subprocess.CompletedProcess:
    (tmp_path / "packaging").mkdir()
    shutil.copy(SETUP, tmp_path / "packaging" / "setup.sh")
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    # the stand-in python: "pip install -e .[test]" prints 300 lines, and fails if asked to
    _executable(venv / "python", f'if [[ "$*" == *"-e"* ]]; then cat <<"EOF"\n{NOISE}\nEOF\n'
                                 f'{"echo ERROR: no matching distribution >&2; exit 1" if install_fails else "exit 0"}\n'
                                 'fi\nexit 0')
    tools = tmp_path / "bin"
    tools.mkdir()
    _executable(tools / "dpkg-query", 'echo -n "install ok installed"')  # every Debian package is there
    env = dict(os.environ, PATH=f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run(["bash", str(tmp_path / "packaging" / "setup.sh")], capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_setup_prints_one_line_when_all_goes_well(tmp_path):
    done = _run(tmp_path, install_fails=False)
    assert done.returncode == 0
    assert done.stdout == "setup: ready (.venv)\n" and done.stderr == ""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_setup_shows_pips_output_when_the_install_fails(tmp_path):
    done = _run(tmp_path, install_fails=True)
    assert done.returncode == 1 and "setup: ready" not in done.stdout
    assert "ERROR: no matching distribution" in done.stderr and NOISE.splitlines()[0] in done.stderr
    assert done.stderr.rstrip().endswith("setup: installing Annotator into .venv failed (pip's output above)")

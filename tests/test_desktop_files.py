"""The freedesktop files of packaging/linux/: the .desktop entry, the AppStream metainfo and
the shared-mime-info type of project files, validated by the freedesktop tools when they
are installed (Debian: desktop-file-utils, appstream, shared-mime-info; packaging/setup.sh
does not install them), and consistent with each other and with the program."""
from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.cli import PROJECT_SUFFIXES

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.github.annotator.Annotator"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
MIME_TYPE = "application/x-annotator-project"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian package {package}): the file is not validated here")
    return path


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_validates():
    result = subprocess.run([tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


def test_metainfo_validates():
    result = subprocess.run([tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mime_database_learns_the_project_extension(tmp_path):
    (tmp_path / "packages").mkdir()
    shutil.copyfile(MIME, tmp_path / "packages" / f"{APP_ID}.xml")
    result = subprocess.run([tool("update-mime-database", "shared-mime-info"), str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    globs = (tmp_path / "globs2").read_text(encoding="utf-8").splitlines()
    assert f"60:{MIME_TYPE}:*.annotator" in globs


def test_the_ids_agree_across_the_files_and_the_program():
    from annotator.ui.app import APP_ID as program_id

    assert program_id == APP_ID
    entry = desktop_entry()
    assert entry["Icon"] == APP_ID
    assert entry["MimeType"].rstrip(";").split(";") == [MIME_TYPE]
    assert entry["Exec"] == "annotator-gui %f" and entry["TryExec"] == "annotator-gui"
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.find("launchable").text == DESKTOP.name
    assert component.findtext("project_license") == "MIT"
    assert MIME_TYPE in [m.text for m in component.iter("mediatype")]
    assert {b.text for b in component.iter("binary")} == {"annotator", "annotator-gui"}


def test_the_mime_glob_is_the_extension_the_program_opens():
    mime = ET.parse(MIME).getroot().find(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    patterns = [g.get("pattern") for g in mime.iter(f"{MIME_NS}glob")]
    assert patterns == ["*.annotator"] and ".annotator" in PROJECT_SUFFIXES
    assert mime.find(f"{MIME_NS}sub-class-of").get("type") == "application/vnd.sqlite3"  # a project is one SQLite file


def test_the_metainfo_screenshots_are_in_docs():
    for image in ET.parse(METAINFO).getroot().iter("image"):
        name = re.sub(r".*/docs/", "", image.text)
        assert (ROOT / "docs" / name).is_file(), name


def test_install_script_puts_every_file_in_place(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(["sh", str(LINUX / "install-desktop.sh"), "/opt/annotator/annotator-gui"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    installed = (tmp_path / "applications" / DESKTOP.name).read_text(encoding="utf-8")
    assert "\nExec=/opt/annotator/annotator-gui %f\n" in installed
    assert (tmp_path / "metainfo" / METAINFO.name).is_file()
    assert (tmp_path / "mime" / "packages" / f"{APP_ID}.xml").is_file()
    for size in (16, 48, 256, 512):
        assert (tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


def test_a_missing_validator_skips_with_its_reason(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception, match=r"desktop-file-validate is not installed \(Debian package desktop-file-utils\)"):
        tool("desktop-file-validate", "desktop-file-utils")

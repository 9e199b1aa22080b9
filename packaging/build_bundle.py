"""Build the one-folder bundle, run it, check it, and compare it with ``pip install``.

    python3 packaging/build_bundle.py [--work build/bundle] [--runs 3] [--skip-build]

1. a fresh virtual environment ``<work>/venv`` gets ``pip install '.[bundle]'`` (NOT
   editable: the same install a user gets, plus PyInstaller);
2. PyInstaller builds ``packaging/annotator.spec`` into ``<work>/dist/annotator/``;
3. the bundled ``annotator`` (offscreen, ``QT_QPA_PLATFORM=offscreen``, a private
   ``ANNOTATOR_DATA_DIR``) starts the window with ``--quit-after-load``: it creates the
   default project with the sample articles (read from the bundle with importlib.resources),
   shows it and quits; then ``annotator PATH --quit-after-load`` opens a copy of that project
   by path; the bundled command line exports it as JSON and imports an HTML page
   (trafilatura's data files); the JSON is checked against the same export made by the pip
   install (documents, texts and spans equal) and against the sample file itself;
4. prints the size of the bundle and of the pip install (the files of Annotator and its
   run-time libraries, from their RECORD), and the start-up time (median of ``--runs``
   runs of ``--version`` and of the window on the sample project) of both, measured in
   this same run, with their ratios.

Exit status 0 when every check passed; 1 with ``build_bundle: FAILED: ...`` otherwise.
Needs Python >= 3.10 with venv, network or a pip cache for the packages, and Qt's system
libraries (packaging/setup.sh installs them). It takes minutes: it is not part of the
test suite (tests/test_bundle.py runs it behind --runslow).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "us_russia_talks.annotator.json"
HTML_PAGE = ROOT / "tests" / "data" / "html" / "news_article.html"
SAMPLE_DOCUMENTS = 9  # resources/samples: the annotated seed article and 8 Wikinews articles


class Failed(Exception):
    """A check of the bundle failed (the message says which)."""


def run(cmd: list, env: dict | None = None, cwd: Path | None = None, timeout: float = 1800) -> subprocess.CompletedProcess:
    """Run ``cmd``; raise Failed with its stderr's tail when it exits non-zero."""
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, encoding="utf-8", errors="replace",
                       env=env, cwd=cwd, timeout=timeout)
    if p.returncode != 0:
        raise Failed(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{p.stderr[-3000:]}")
    return p


def timed_pair(first: list, second: list, env: dict, second_env: dict, runs: int) -> tuple[float, float]:
    """Median wall-clock seconds of ``runs`` runs of ``first`` and of ``second``, taken in
    turns (first, second, first, ...) so that a busy moment of the machine hits both."""
    times: tuple[list, list] = ([], [])
    for _ in range(runs):
        for i, (cmd, cmd_env) in enumerate(((first, env), (second, second_env))):
            start = time.perf_counter()
            run(cmd, env=cmd_env, timeout=300)
            times[i].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def tree_size(path: Path) -> int:
    """Bytes of every file under ``path`` (symbolic links not followed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def pip_install_size(python: Path) -> int:
    """Bytes of the files of Annotator and its run-time libraries in the environment of
    ``python``, as their RECORD files list them (build tools such as PyInstaller not counted)."""
    code = (
        "import importlib.metadata as m, os, json\n"
        "from annotator.ui.about import library_credits\n"
        "names = ['annotator'] + [lib.name for lib in library_credits()]\n"
        "total = 0\n"
        "for name in names:\n"
        "    for f in m.distribution(name).files or ():\n"
        "        p = f.locate()\n"
        "        total += os.path.getsize(p) if os.path.isfile(p) else 0\n"
        "print(json.dumps(total))\n"
    )
    return json.loads(run([python, "-c", code], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout)


def spans_of(export: dict) -> list:
    """Documents of a native JSON export as comparable tuples: (title, text, sorted spans as
    (label, fragments)); ids and time stamps left out."""
    out = []
    for doc in export["documents"]:
        spans = sorted((s["label"], json.dumps(s.get("fragments") or [[s["start"], s["end"]]])) for s in doc.get("spans", []))
        out.append((doc["title"], doc["text"], spans))
    return sorted(out)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def main() -> int:
    parser = argparse.ArgumentParser(description="Build and check the PyInstaller bundle (see the module docstring).")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bundle", help="work folder (default build/bundle)")
    parser.add_argument("--runs", type=int, default=3, help="start-up runs to take the median of (default 3)")
    parser.add_argument("--skip-build", action="store_true", help="reuse the venv and bundle of an earlier run")
    args = parser.parse_args()
    work = args.work.resolve()
    venv, dist = work / "venv", work / "dist"
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    exe = ".exe" if os.name == "nt" else ""
    bundled = dist / "annotator" / f"annotator{exe}"
    try:
        started = time.perf_counter()
        if not args.skip_build:
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            print("build_bundle: a fresh venv with pip install '.[bundle]' (not editable) ...", flush=True)
            run([sys.executable, "-m", "venv", venv])
            run([python, "-m", "pip", "install", "-q", f"{ROOT}[bundle]"])
            print(f"build_bundle: pyinstaller packaging/annotator.spec ... ({time.perf_counter() - started:.0f} s so far)", flush=True)
            run([bindir / "pyinstaller", "--noconfirm", "--log-level", "WARN", "--distpath", dist,
                 "--workpath", work / "pyi-work", ROOT / "packaging" / "annotator.spec"], cwd=ROOT / "packaging")
        build_seconds = time.perf_counter() - started
        check(bundled.is_file(), f"{bundled}: the bundle has no annotator program")
        check((dist / "annotator" / f"annotator-gui{exe}").is_file(), "the bundle has no annotator-gui program")

        data = work / "run"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANNOTATOR_DATA_DIR": str(data / "bundle-data")}
        pip_env = {**env, "ANNOTATOR_DATA_DIR": str(data / "pip-data")}
        pip_annotator = bindir / f"annotator{exe}"

        version = run([bundled, "--version"], env=env).stdout.strip()
        pip_version = run([pip_annotator, "--version"], env=pip_env).stdout.strip()
        check(version == pip_version and version.startswith("annotator "), f"--version: bundle {version!r}, pip {pip_version!r}")

        # the window, offscreen, on the default project (created with the samples from the bundle's resources)
        shown = run([bundled, "--quit-after-load"], env=env, timeout=300).stdout
        check(f"shown {SAMPLE_DOCUMENTS} documents" in shown, f"the bundled window did not show the samples: {shown!r}")
        project = data / "sample.annotator"
        shutil.copyfile(data / "bundle-data" / "default.annotator.db", project)  # no process holds it now
        shown = run([bundled, project, "--quit-after-load"], env=env, timeout=300).stdout
        check(f"shown {SAMPLE_DOCUMENTS} documents" in shown, f"'annotator PATH' did not show the project: {shown!r}")

        # the bundled command line: export JSON, compare with the pip install's and with the sample file
        out = data / "bundle-export.json"
        run([bundled, "export", "--format", "json", "--project", project, "--output", out], env=env)
        exported = json.loads(out.read_text(encoding="utf-8"))
        check(exported.get("format") == "annotator" and len(exported["documents"]) == SAMPLE_DOCUMENTS,
              f"{out}: not a native export of {SAMPLE_DOCUMENTS} documents")
        run([pip_annotator, "--quit-after-load"], env=pip_env, timeout=300)  # the pip install's default project
        pip_out = data / "pip-export.json"
        run([pip_annotator, "export", "--format", "json", "--output", pip_out], env=pip_env)
        check(spans_of(exported) == spans_of(json.loads(pip_out.read_text(encoding="utf-8"))),
              "the bundle's export differs from the pip install's")
        sample = spans_of(json.loads(SAMPLE.read_text(encoding="utf-8")))
        check(all(doc in spans_of(exported) for doc in sample) and sample[0][2],
              "the annotated sample article's spans are not in the bundle's export")
        run([bundled, "import", HTML_PAGE, "--project", data / "html.annotator"], env=env)  # trafilatura's data files

        # figures, measured now for both
        bundle_bytes, pip_bytes = tree_size(dist / "annotator"), pip_install_size(python)
        v_bundle, v_pip = timed_pair([bundled, "--version"], [pip_annotator, "--version"], env, pip_env, args.runs)
        w_bundle, w_pip = timed_pair([bundled, project, "--quit-after-load"], [pip_annotator, project, "--quit-after-load"],
                                     env, pip_env, args.runs)
    except (Failed, subprocess.TimeoutExpired, OSError) as exc:
        print(f"build_bundle: FAILED: {exc}", file=sys.stderr)
        return 1
    mb = 1024 * 1024
    spans = sum(len(d[2]) for d in spans_of(exported))
    print(f"build_bundle: OK: {version}; window shown offscreen on {SAMPLE_DOCUMENTS} documents (default project and "
          f"'annotator PATH'); JSON export of {spans} spans equal to the pip install's; HTML import works")
    print(f"build_bundle: built in {build_seconds:.0f} s; bundle {dist / 'annotator'}")
    print(f"{'':<34}{'bundle':>10}{'pip install':>13}{'ratio':>8}")
    print(f"{'size (MB)':<34}{bundle_bytes / mb:>10.1f}{pip_bytes / mb:>13.1f}{bundle_bytes / pip_bytes:>8.2f}")
    print(f"{'start-up: annotator --version (s)':<34}{v_bundle:>10.2f}{v_pip:>13.2f}{v_bundle / v_pip:>8.2f}")
    print(f"{'start-up: window on project (s)':<34}{w_bundle:>10.2f}{w_pip:>13.2f}{w_bundle / w_pip:>8.2f}")
    print(f"(medians of {args.runs} runs each, bundle and pip install in turns; the pip install's size is Annotator and its run-time libraries without "
          "Python itself, which the bundle includes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Open a project of 50,000 documents in the window, beside ``/work/shared/bench/bare_qt_window.py``
showing the article that opens, in the same run.

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_open_corpus.py [--documents 50000]
[--repeats 3]``.

Both sides are a fresh Python process timed from start to exit: the bare script shows the
text in a QPlainTextEdit and grabs the window; Annotator's side does what ``annotator
--project P`` does (``open_project``, ``MainWindow``, show) and grabs the window the same
way. The project comes from ``bench_keystroke.corpus_project`` (make_dataset articles, built
once, cached) and is copied once for the run. Its first opening (a project this user data
folder has never seen: integrity check and a full backup) is timed apart; the repeats
are what a user sees every day, the project reopened as Annotator left it (neither checked
nor copied again: ``opening.clean_record``). Prints the medians, their ratio and where
Annotator's time goes; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BARE = Path("/work/shared/bench/bare_qt_window.py")


def child(project: str) -> int:
    """Annotator's side, in its own process: prints its phases in seconds."""
    t0 = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from annotator.services.projects import open_project
    app = QApplication(sys.argv[:1])
    t1 = time.perf_counter()
    store = open_project(Path(project))
    t2 = time.perf_counter()
    from annotator.ui.main_window import MainWindow
    window = MainWindow(store)
    window.resize(1200, 800)
    t3 = time.perf_counter()
    window.show()
    app.processEvents()
    window.grab()
    t4 = time.perf_counter()
    print(f"phases {t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f} {t4 - t3:.3f}", flush=True)
    window.close()  # as a user closes it: the project closes cleanly (timed too, with the exit)
    return 0


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - t0, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    from bench_keystroke import CACHE, corpus_project
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = corpus_project(args.documents)
    work = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    env = dict(os.environ, ANNOTATOR_DATA_DIR=str(work / "data"), QT_QPA_PLATFORM="offscreen")

    from annotator.core.store import Store
    store = Store.open(cached, read_only=True)
    first = store.document_ids()[0]
    article = work / "article.txt"
    article.write_text(store.document_text(first), encoding="utf-8")
    store.close()

    project = work / "corpus.db"
    shutil.copyfile(cached, project)
    for suffix in ("-wal", "-shm"):
        Path(str(project) + suffix).unlink(missing_ok=True)
    first, out = timed([sys.executable, __file__, "--child", str(project)], env)
    first_phases = [float(x) for x in out.split("phases", 1)[1].split()]
    bare, ours, phases = [], [], []
    for _ in range(args.repeats):
        bare.append(timed([sys.executable, str(BARE), str(article)], env)[0])
        seconds, out = timed([sys.executable, __file__, "--child", str(project)], env)
        ours.append(seconds)
        phases.append([float(x) for x in out.split("phases", 1)[1].split()])
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"Open a project of {args.documents:,} documents (process start to window shown), median of {args.repeats}")
    print(f"  bare PySide6 window with the article:  {b * 1000:8.0f} ms")
    print(f"  Annotator, project and window:         {o * 1000:8.0f} ms   ratio {o / b:.2f}x")
    names = ("imports + QApplication", "open_project (checks, backup)", "MainWindow built", "show + first paint")
    for k, name in enumerate(names):
        print(f"    {name:<32} {statistics.median(p[k] for p in phases) * 1000:8.0f} ms")
    print(f"  first opening (checked, backed up in full): {first * 1000:8.0f} ms   ratio {first / b:.2f}x")
    for k, name in enumerate(names):
        print(f"    {name:<32} {first_phases[k] * 1000:8.0f} ms")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

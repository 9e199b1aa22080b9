"""What the store's safety checks of issue 7 cost, as ratios measured in one run.

1. The file guard (``annotator/core/store/file_guard.py``) runs before every write
   transaction: one edit (``add_entity``, one committed transaction in WAL mode) with the
   guard, against the same edit with the guard switched off, and against a bare sqlite-utils
   insert of one row per transaction (the reference of ``/work/shared/bench/
   bare_sqlite_insert.py``, here one row per commit as the window writes).
2. The opening check: ``PRAGMA integrity_check`` against ``PRAGMA quick_check`` on a project
   of about 40 MB, in ms per MB and as a ratio; this sets ``THOROUGH_CHECK_BYTES``.

Run: ``python benchmarks/bench_file_guard.py [EDITS]``. Prints figures; asserts nothing.
"""
from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

import sqlite_utils  # noqa: E402

from annotator.core.store import Store, file_guard  # noqa: E402
from annotator.core.store import store as store_module  # noqa: E402
from reliability_tools import article  # noqa: E402


def per_edit(edit, n: int) -> float:
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        edit(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(n: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    store = Store.open(folder / "edits.db")
    guarded = per_edit(lambda i: store.add_entity(f"g{i}"), n)
    real = store_module.check_before_write
    store_module.check_before_write = lambda _store: None
    try:
        bare_store = per_edit(lambda i: store.add_entity(f"u{i}"), n)
    finally:
        store_module.check_before_write = real
    check = per_edit(lambda i: file_guard.check_before_write(store), n)
    store.close()
    db = sqlite_utils.Database(folder / "bare.db")
    db.conn.execute("PRAGMA journal_mode = WAL")
    db.conn.execute("PRAGMA synchronous = NORMAL")

    def bare_insert(i: int) -> None:
        with db.conn:
            db["entities"].insert({"name": f"b{i}", "type": "person"})

    bare = per_edit(bare_insert, n)
    print(f"edits timed: {n} of each (medians); open descriptors of this process: {len(os.listdir('/proc/self/fd'))}")
    print(f"  one edit, guard on:                {guarded * 1e3:7.3f} ms")
    print(f"  one edit, guard off:               {bare_store * 1e3:7.3f} ms   (guard on / off: {guarded / bare_store:.2f})")
    print(f"  the guard's check alone:           {check * 1e3:7.3f} ms")
    print(f"  bare sqlite-utils insert + commit: {bare * 1e3:7.3f} ms   (edit with guard / bare: {guarded / bare:.2f})")

    big = Store.open(folder / "big.db")
    for batch in range(10):
        big.import_documents([article(batch * 200 + i, 2000) for i in range(200)])
    big.close()
    mb = (folder / "big.db").stat().st_size / 1e6
    conn = sqlite3.connect(folder / "big.db")
    figures = {}
    for pragma in ("quick_check", "integrity_check") * 3:
        t0 = time.perf_counter()
        conn.execute(f"PRAGMA {pragma}").fetchall()
        figures.setdefault(pragma, []).append(time.perf_counter() - t0)
    conn.close()
    quick, full = (min(figures[p]) for p in ("quick_check", "integrity_check"))
    print(f"project of {mb:.1f} MB (file in the page cache, best of 3):")
    print(f"  quick_check:     {quick * 1e3:7.1f} ms  {quick * 1e3 / mb:5.2f} ms/MB")
    print(f"  integrity_check: {full * 1e3:7.1f} ms  {full * 1e3 / mb:5.2f} ms/MB   (integrity / quick: {full / quick:.2f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)

"""Crash safety: real processes editing, importing and exporting a project are killed with
SIGKILL at random moments, many times; after each kill the project must open, pass
SQLite's integrity and foreign key checks, have every span inside its text, and hold
exactly the edits reported done (plus, all or nothing, the one that was under way).

The editing process is ``kill_driver.py`` (edits through the Store, one line per committed
edit); imports and exports run through the command line. Default: ANNOTATOR_KILLS (20)
kills; ``--runslow`` adds a soak of ANNOTATOR_SOAK_KILLS (300). Figures go to the JSON file
named by ANNOTATOR_RELIABILITY_REPORT when it is set.
"""
from __future__ import annotations

import copy
import itertools
import json
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from annotator.core.model import NewDocument
from annotator.core.store import Store
from reliability_tools import ROOT, cli_env, integrity_problems, report_figures

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

DRIVER = Path(__file__).with_name("kill_driver.py")
CLI_FILES = 40


@dataclass
class Model:
    """What the project must hold: the driver's spans (note -> attribute v or None), its
    entities, and the documents of the imports (title -> number of spans)."""

    spans: dict = field(default_factory=dict)
    entities: set = field(default_factory=set)
    documents: dict = field(default_factory=dict)

    def after(self, op: str, args: list[str]) -> "Model":
        new = copy.deepcopy(self)
        if op in ("add", "pair"):
            new.spans.update((note, None) for note in args)
        elif op in ("del", "undo"):
            new.spans.pop(args[0], None)
        elif op == "upd":
            if args[0] in new.spans:
                new.spans[args[0]] = int(args[1])
        elif op == "ent":
            new.entities.add(args[0])
        elif op in ("imp", "cli-import"):  # the driver's import, or the command line's folder import
            prefix, k, s = args[0], int(args[1]), int(args[2])
            new.documents.update((f"{prefix} doc {i}", s) for i in range(k))
        else:
            raise AssertionError(f"unknown op {op}")
        return new

    def state(self) -> tuple:
        return (self.spans, self.entities, self.documents)


def actual_state(store: Store) -> tuple:
    db = store.db
    spans = {note: json.loads(attrs).get("v") for note, attrs in
             db.execute("SELECT note, attrs FROM spans WHERE note LIKE 'k%'").fetchall()}
    entities = {r[0] for r in db.execute("SELECT name FROM entities WHERE name LIKE 'k%'").fetchall()}
    documents = dict(db.execute("SELECT d.title, (SELECT count(*) FROM spans s WHERE s.document_id = d.id)"
                                " FROM documents d WHERE d.title LIKE 'k%'").fetchall())
    return (spans, entities, documents)


@dataclass
class Figures:
    kills: int = 0
    kills_during_startup: int = 0
    kills_with_an_edit_under_way: int = 0
    under_way_found_applied: int = 0
    under_way_found_absent: int = 0
    edits_done_and_verified: int = 0
    busy_reported: int = 0
    cli_imports_killed: int = 0
    cli_imports_complete: int = 0
    cli_imports_absent: int = 0
    cli_exports_killed: int = 0
    exports_complete: int = 0
    exports_absent: int = 0
    integrity_checks_passed: int = 0
    seconds: float = 0.0


class Driver:
    """A kill_driver.py process whose output lines are collected by a thread."""

    def __init__(self, project: Path, tag: str, seed: int):
        self.proc = subprocess.Popen([sys.executable, str(DRIVER), str(project), tag, str(seed)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     cwd=ROOT, env=cli_env())
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for line in self.proc.stdout:
                self.lines.append(line.strip())
                if line.strip() == "ready":
                    self.ready.set()
        except ValueError:  # finish() closed the pipe after its join timed out (a loaded machine)
            pass

    def finish(self) -> list[str]:
        self.proc.wait(30)
        self.thread.join(30)
        stderr = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        assert self.proc.returncode == -9, f"the driver ended by itself ({self.proc.returncode}): {stderr}"
        return self.lines


def cli(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "annotator", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=cli_env())


def setup_project(path: Path) -> None:
    store = Store.open(path)
    try:
        words = " ".join(f"word{i}" for i in range(900))
        store.import_documents([NewDocument(title=f"base {i}", text=f"Base article {i}. {words}") for i in range(3)])
    finally:
        store.close()


def folder_for_import(tmp: Path, tag: str) -> Path:
    folder = tmp / f"in-{tag}"
    folder.mkdir()
    for j in range(CLI_FILES):
        body = " ".join(f"{tag}w{j}x{i}" for i in range(300))
        (folder / f"a{j:02}.txt").write_text(f"{tag} doc {j}\n\n{body}\n", encoding="utf-8")
    return folder


def pending_ops(lines: list[str]) -> tuple[list[tuple[str, list[str]]], list[str], int]:
    """(committed ops in order, the op under way or [], busy count) from a driver's lines."""
    done, pending, busy = [], None, 0
    for line in lines:
        word, *rest = line.split()
        if word == "begin":
            pending = (rest[1], rest[2:])
        elif word == "done":
            done.append(pending)
            pending = None
        elif word == "busy":
            pending, busy = None, busy + 1
    return done, ([pending] if pending else []), busy


def check(project: Path, model: Model, under_way: list[tuple[str, list[str]]], figures: Figures) -> Model:
    """Open the project after a kill: integrity, then its content must be the model with
    some of the ops under way applied, each whole. Returns the model of what is there."""
    store = Store.open(project)
    try:
        problems = integrity_problems(store)
        assert problems == [], problems
        actual = actual_state(store)
    finally:
        store.close()
    figures.integrity_checks_passed += 1
    for applied in itertools.product((False, True), repeat=len(under_way)):
        candidate = model
        for (op, args), yes in zip(under_way, applied):
            if yes:
                candidate = candidate.after(op, args)
        if candidate.state() == actual:
            for (op, _args), yes in zip(under_way, applied):
                if op == "cli-import":
                    figures.cli_imports_complete += yes
                    figures.cli_imports_absent += not yes
                else:
                    figures.under_way_found_applied += yes
                    figures.under_way_found_absent += not yes
            return candidate
    expected = model.state()
    missing = {k: v for k, v in expected[0].items() if actual[0].get(k, "absent") != v}
    raise AssertionError(f"after the kill the project differs from the edits reported done; under way: {under_way}; "
                         f"spans wrong or missing: {dict(list(missing.items())[:10])}; "
                         f"entities missing: {sorted(expected[1] - actual[1])[:10]}; "
                         f"documents: {len(actual[2])} found, {len(expected[2])} expected")


def kill_many(tmp_path: Path, kills: int, seed: int) -> Figures:
    rng = random.Random(seed)
    project = tmp_path / "killed.db"
    setup_project(project)
    model, figures = Model(), Figures()
    estimate = {"import": 0.6, "export": 1.0}  # seconds a command takes, learnt as it goes
    started = time.monotonic()
    for it in range(kills):
        tag = f"k{it}"
        kind = rng.choices(["driver", "driver+import", "import", "driver+export"], weights=[6, 2, 1.5, 1.5])[0]
        driver = Driver(project, tag, rng.randrange(1 << 30)) if "driver" in kind else None
        other = None
        export_to = tmp_path / f"export-{tag}.json"
        if "import" in kind:
            other = cli("import", folder_for_import(tmp_path, f"{tag}cli"), "--project", project)
        elif "export" in kind:
            other = cli("export", "--format", "json", "--output", export_to, "--project", project)
        started_at = time.monotonic()
        if other is not None:  # kill the command at a random point of its (estimated) run
            other_deadline = started_at + rng.uniform(0.4, 1.1) * estimate[kind.split("+")[-1]]
        if driver is not None:
            if rng.random() < 0.15:  # while it starts and opens the project
                driver_deadline = started_at + rng.uniform(0.0, 0.4)
            else:
                assert driver.ready.wait(30), "the driver did not start"
                driver_deadline = time.monotonic() + rng.uniform(0.0, 0.35)
            if other is not None and other_deadline < driver_deadline:
                _kill_at(other, other_deadline, estimate, kind.split("+")[-1], started_at)
                other_deadline = None
            time.sleep(max(0.0, driver_deadline - time.monotonic()))
            driver.proc.kill()
        if other is not None and other_deadline is not None:
            _kill_at(other, other_deadline, estimate, kind.split("+")[-1], started_at)
        figures.kills += 1
        under_way = []
        if driver is not None:
            lines = driver.finish()
            figures.kills_during_startup += "ready" not in lines
            done, pending, busy = pending_ops(lines)
            figures.busy_reported += busy
            for op, args in done:
                model = model.after(op, args)
            figures.edits_done_and_verified += len(done)
            figures.kills_with_an_edit_under_way += bool(pending)
            under_way += pending
        if other is not None:
            other.wait(30)
            error = other.stderr.read()
            other.stderr.close()
            assert other.returncode in (0, -9), error
            assert "Traceback" not in error
            if "import" in kind:
                op = ("imp", [f"{tag}cli", str(CLI_FILES), "0"])
                if other.returncode == 0:
                    model = model.after(*op)
                    figures.cli_imports_complete += 1
                else:
                    figures.cli_imports_killed += 1
                    under_way.append(("cli-import", op[1]))
            else:
                figures.cli_exports_killed += other.returncode == -9
                if export_to.exists():  # written whole (a temporary file, then renamed) or not at all
                    exported = json.loads(export_to.read_text(encoding="utf-8"))
                    assert exported
                    figures.exports_complete += 1
                else:
                    figures.exports_absent += 1
        model = check(project, model, under_way, figures)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def _kill_at(proc: subprocess.Popen, deadline: float, estimate: dict, kind: str, started_at: float) -> None:
    """Kill ``proc`` at ``deadline`` unless it ends before (then learn how long it takes)."""
    try:
        proc.wait(max(0.0, deadline - time.monotonic()))
        estimate[kind] = 0.5 * estimate[kind] + 0.5 * (time.monotonic() - started_at)
    except subprocess.TimeoutExpired:
        proc.kill()
        estimate[kind] *= 1.25  # it may take longer than thought: let later kills land later too


def run_and_report(tmp_path: Path, kills: int, seed: int, section: str) -> None:
    figures = kill_many(tmp_path, kills, seed)
    assert figures.kills == kills and figures.integrity_checks_passed == kills
    report_figures(section, {**figures.__dict__, "seed": seed})
    print(f"\n{section}: {figures.__dict__}")


def test_kill_at_random_moments(tmp_path):
    kills = int(os.environ.get("ANNOTATOR_KILLS", "20"))
    seed = int(os.environ.get("ANNOTATOR_KILL_SEED", random.randrange(1 << 30)))
    try:
        run_and_report(tmp_path, kills, seed, "kill")
    except AssertionError as exc:
        raise AssertionError(f"{exc} (reproduce with ANNOTATOR_KILL_SEED={seed})") from exc


@pytest.mark.slow
def test_kill_soak(tmp_path):
    kills = int(os.environ.get("ANNOTATOR_SOAK_KILLS", "300"))
    seed = int(os.environ.get("ANNOTATOR_KILL_SEED", random.randrange(1 << 30)))
    try:
        run_and_report(tmp_path, kills, seed, "kill_soak")
    except AssertionError as exc:
        raise AssertionError(f"{exc} (reproduce with ANNOTATOR_KILL_SEED={seed})") from exc

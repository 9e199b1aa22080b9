"""The window in a real process (``window_driver.py``) for the reliability tests:
``send`` a command, ``expect`` its answer, ``kill`` it with SIGKILL."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from annotator.core.store import Store
from reliability_tools import ROOT, cli_env

DRIVER = Path(__file__).with_name("window_driver.py")


class Window:
    """The window driver in a subprocess: ``send`` a command, ``expect`` its answer."""

    def __init__(self, project: Path, tmp: Path, prefix: list[str] | None = None):
        env = cli_env({"ANNOTATOR_DATA_DIR": str(tmp / "data"), "QT_QPA_PLATFORM": "offscreen"})
        self.proc = subprocess.Popen([*(prefix or []), sys.executable, str(DRIVER), str(project)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=ROOT, env=env)
        self.transcript: list[str] = []
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.expect_pid = int(self.expect("ready").split()[1])

    def send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def expect(self, start: str, timeout: float = 60) -> str:
        """The next line that starts with ``start`` (lines before it are kept in the transcript)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                os.kill(self.proc.pid, signal.SIGUSR1)  # the driver prints its threads' stacks
                time.sleep(1)
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(30)
                raise AssertionError(f"the window did not answer {start!r} in {timeout} s; it said {self.transcript}; "
                                     f"stderr: {self.proc.stderr.read()[-3000:]}") from None
            if line is None:
                raise AssertionError(f"the window ended before {start!r}: {self.proc.stderr.read()[-3000:]}")
            self.transcript.append(line)
            if line.startswith(start):
                return line

    def _read(self) -> None:
        try:
            for line in self.proc.stdout:
                self.lines.put(line.strip())
        except ValueError:  # kill() closed the pipe after its join timed out (a loaded machine)
            pass
        finally:
            self.lines.put(None)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self.reader.join(10)  # it ends at the end of the killed process's output
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except OSError:  # the pipe to a killed process
                pass


def entity_names(project: Path) -> set[str]:
    """The names of the project's speaker entities (the driver's edits are entities)."""
    store = Store.open(project, read_only=True)
    try:
        return {e.name for e in store.entities()}
    finally:
        store.close()


def answer(window: Window, n: int) -> str:
    """The answer to ``edit n``: "done n" or "refused n <why>"."""
    while True:
        line = window.expect("")
        if line.startswith((f"done {n}", f"refused {n}")):
            return line

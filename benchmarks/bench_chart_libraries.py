"""Which charting library for the Statistics panel: start-up cost of each, measured the same way.

Each candidate runs in a fresh Python process (import costs are only real the first time):
a QApplication and a window with one bar chart of 20 bars, shown offscreen and grabbed
(painted). Printed: the median wall time of 5 runs per candidate, and its ratio to the same
window without a chart (the bare window), measured in the same run; plus the import time
of the library alone. The charting library is imported lazily by the panel, so the main
window's own start-up pays none of it; this is what the first showing of the panel costs.

    python benchmarks/bench_chart_libraries.py [RUNS]
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import textwrap

COMMON = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow()
names = [f"Speaker {i}" for i in range(20)]
values = [20 - i for i in range(20)]
t1 = time.perf_counter()
"""
CHARTS = {
    "bare window": "central = QLabel('no chart')",
    "QtCharts": """
from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
t2 = time.perf_counter()
s = QBarSet("claims"); s.append(values)
series = QBarSeries(); series.append(s)
chart = QChart(); chart.addSeries(series)
x = QBarCategoryAxis(); x.append(names); chart.addAxis(x, __import__('PySide6.QtCore', fromlist=['Qt']).Qt.AlignmentFlag.AlignBottom); series.attachAxis(x)
central = QChartView(chart)
""",
    "pyqtgraph": """
import pyqtgraph as pg
t2 = time.perf_counter()
central = pg.PlotWidget()
central.addItem(pg.BarGraphItem(x=list(range(20)), height=values, width=0.6))
central.getAxis('bottom').setTicks([list(enumerate(names))])
""",
    "matplotlib (QtAgg)": """
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
t2 = time.perf_counter()
fig = Figure(figsize=(6, 4)); ax = fig.add_subplot(); ax.bar(names, values); ax.tick_params(axis='x', rotation=60)
central = FigureCanvasQTAgg(fig)
""",
}
END = """
w.setCentralWidget(central); w.resize(900, 600); w.show(); app.processEvents(); w.grab()
t3 = time.perf_counter()
print(t3 - t0, (t2 - t1) if 't2' in dir() else 0.0)
"""


def run(code: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(COMMON) + textwrap.dedent(code) + END],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main(runs: int = 5) -> None:
    results = {}
    for name, code in CHARTS.items():
        times = [run(code) for _ in range(runs)]
        results[name] = (statistics.median(t for t, _ in times), statistics.median(i for _, i in times))
    bare = results["bare window"][0]
    print(f"{'candidate':<22} {'window + chart':>15} {'ratio to bare':>14} {'library import':>15}")
    for name, (total, imported) in results.items():
        print(f"{name:<22} {total * 1000:>12.0f} ms {total / bare:>13.2f}x {imported * 1000:>12.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

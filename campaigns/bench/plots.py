"""Plots for docs/: ``python -m campaigns.bench.plots docs/figures docs/plots``.

Reads the JSON lines ``bench_send`` printed (saved as ``*.jsonl`` under the
figures directory) and draws, with medians over repeated runs: seconds and
worker peak memory against recipients (SMTP, one host, no fault), and
recovery per fault.
"""

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def read_lines(directory):
    lines = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        lines.extend(json.loads(line) for line in path.read_text().splitlines() if line.startswith("{"))
    return lines


def medians(lines, key):
    grouped = defaultdict(list)
    for figures in lines:
        grouped[figures["recipients"]].append(figures[key])
    return sorted((recipients, statistics.median(values)) for recipients, values in grouped.items())


def plot_scaling(lines, out_dir, plt):
    plain = [f for f in lines if f["transport"] == "smtp" and f["hosts"] == 1 and not f.get("fault")]
    figure, (seconds_axis, memory_axis) = plt.subplots(1, 2, figsize=(10, 4))
    seconds = medians(plain, "seconds")
    raw = [(n, n / rate) for n, rate in medians(plain, "raw_mails_per_second")]
    seconds_axis.loglog([n for n, _ in seconds], [s for _, s in seconds], "o-", label="bench_send (2 workers)")
    seconds_axis.loglog([n for n, _ in raw], [s for _, s in raw], "s--", label="raw: one process, one connection")
    seconds_axis.set_xlabel("recipients")
    seconds_axis.set_ylabel("seconds, launch to last mail accepted")
    seconds_axis.legend()
    seconds_axis.grid(True, which="both", alpha=0.3)
    memory = medians(plain, "worker_peak_rss_mb")
    memory_axis.semilogx([n for n, _ in memory], [m for _, m in memory], "o-")
    memory_axis.set_ylim(0, max((m for _, m in memory), default=1) * 1.3)
    memory_axis.set_xlabel("recipients")
    memory_axis.set_ylabel("worker peak RSS, MB")
    memory_axis.grid(True, which="both", alpha=0.3)
    figure.suptitle("SMTP to a loopback sink, medians of the runs")
    figure.tight_layout()
    figure.savefig(Path(out_dir) / "sending-scaling.png", dpi=110)


def plot_recovery(lines, out_dir, plt):
    by_fault = defaultdict(list)
    for figures in lines:
        if figures.get("fault"):
            by_fault[figures["fault"]].append(figures["recovery_seconds"])
    names = sorted(by_fault)
    values = [statistics.median(by_fault[name]) for name in names]
    figure, axis = plt.subplots(figsize=(8, 4))
    axis.barh(names, values)
    axis.axvline(60, color="red", linestyle="--", label="target: 60 s")
    axis.set_xlabel("seconds from the fault to full speed again (or the last mail)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(Path(out_dir) / "fault-recovery.png", dpi=110)


def main(figures_dir, out_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines = read_lines(figures_dir)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    plot_scaling(lines, out_dir, plt)
    plot_recovery(lines, out_dir, plt)


if __name__ == "__main__":
    main(*sys.argv[1:3])

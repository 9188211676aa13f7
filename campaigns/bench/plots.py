"""Plots for docs/: ``python -m campaigns.bench.plots docs/figures docs/plots``.

Reads the JSON lines ``bench_send`` printed (saved as ``*.jsonl`` under the
figures directory) and draws, with medians over repeated runs: seconds and
worker peak memory against recipients (SMTP, one host, no fault), and
recovery per fault; prints the medians as a Markdown table for docs/.
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
    """Per fault: the faulted mailing's seconds against the plain run's at the same size, and the recovery measured."""
    by_fault = defaultdict(list)
    for figures in lines:
        if figures.get("fault"):
            by_fault[figures["fault"]].append(figures)
    names = sorted(by_fault)
    sizes = {statistics.median(f["recipients"] for f in by_fault[name]) for name in names}
    plain = [f["seconds"] for f in lines if not f.get("fault") and f["hosts"] == 1 and f["transport"] == "smtp" and f["recipients"] in sizes]
    seconds = [statistics.median(f["seconds"] for f in by_fault[name]) for name in names]
    recovery = [statistics.median(f["recovery_seconds"] for f in by_fault[name]) for name in names]
    figure, axis = plt.subplots(figsize=(9, 4.5))
    positions = range(len(names))
    axis.barh([p - 0.2 for p in positions], seconds, 0.4, label="seconds, launch to last mail")
    axis.barh([p + 0.2 for p in positions], recovery, 0.4, label="recovery_seconds")
    axis.set_yticks(list(positions))
    axis.set_yticklabels(names)
    if plain:
        axis.axvline(statistics.median(plain), color="grey", linestyle=":", label="plain SMTP run, same size")
    axis.axvline(60, color="red", linestyle="--", label="target: recovery under 60 s")
    axis.set_xscale("log")
    axis.set_xlabel("seconds (log scale)")
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(Path(out_dir) / "fault-recovery.png", dpi=110)


SUMMARY_FIELDS = (
    ("runs", "runs"),
    ("seconds", "seconds"),
    ("mails_per_second", "mails/s"),
    ("sending_mails_per_second", "sending mails/s"),
    ("raw_mails_per_second", "raw mails/s"),
    ("ratio", "÷ raw"),
    ("sender_cpu_ms_per_mail", "CPU ms/mail"),
    ("raw_cpu_ms_per_mail", "raw CPU ms/mail"),
    ("worker_peak_rss_mb", "worker MB"),
    ("launch_seconds", "launch s"),
    ("launch_memory_growth_mb", "launch +MB"),
    ("duplicates", "dup."),
    ("missing", "missing"),
    ("accepted_not_committed", "in flight"),
    ("recovery_seconds", "recovery s"),
)


def markdown(lines):
    """The figures as a Markdown table for docs/: one row per (transport, hosts, recipients, fault), medians."""
    grouped = defaultdict(list)
    for figures in lines:
        grouped[(figures["transport"], figures["hosts"], figures["recipients"], figures.get("fault") or "")].append(figures)
    rows = [
        "| transport | hosts | recipients | fault | " + " | ".join(label for _, label in SUMMARY_FIELDS) + " |",
        "|---" * (4 + len(SUMMARY_FIELDS)) + "|",
    ]
    for (transport, hosts, recipients, fault), runs in sorted(grouped.items()):
        cells = [transport, str(hosts), f"{recipients:,}", fault or "–"]
        for key, _ in SUMMARY_FIELDS:
            values = [run[key] for run in runs if run.get(key) is not None] if key != "runs" else [len(runs)]
            cells.append(format_value(statistics.median(values)) if values else "–")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def format_value(value):
    if isinstance(value, float):
        return f"{value:.3g}" if value < 100 else f"{value:,.0f}"
    return f"{value:,}"


def main(figures_dir, out_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines = read_lines(figures_dir)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    plot_scaling(lines, out_dir, plt)
    plot_recovery(lines, out_dir, plt)
    print(markdown(lines))


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""Plots of a ``bench_pages --json-out`` file: ``python -m cms.bench.plots figures.json docs/plots``.

Writes ``pages-requests.png`` (requests/s) and ``pages-cpu.png`` (server CPU ms per
request): one group of bars per page type and a panel per connection count; and
prints the figures as Markdown tables for docs/performance.md.
"""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PAGE_ORDER = ("home", "article", "call", "listing", "search", "feed")
LABELS = {"ours": "ours (page cache)", "ours-uncached": "ours, page cache off", "bakerydemo": "bakerydemo"}
PEER_PAGES = {"article": "blog post", "call": "bread page", "listing": "blog index"}


def plot(figures, key, ylabel, path):
    lines = figures["pages"]
    sites = [site for site in LABELS if any(line["site"] == site for line in lines)]
    pages = [page for page in PAGE_ORDER if any(line["page"] == page for line in lines)]
    panels = sorted({k for line in lines for k in line if k.startswith("c") and isinstance(line[k], dict)}, key=lambda k: int(k[1:]))
    fig, axes = plt.subplots(1, len(panels), figsize=(7 * len(panels), 4.4), squeeze=False)
    width = 0.8 / len(sites)
    for axis, panel in zip(axes[0], panels):
        for index, site in enumerate(sites):
            values = []
            for page in pages:
                line = next((l for l in lines if l["site"] == site and l["page"] == page), None)
                values.append(line[panel][key] if line and line.get(panel) and line[panel][key] is not None else 0)
            positions = [p + (index - (len(sites) - 1) / 2) * width for p in range(len(pages))]
            axis.bar(positions, values, width, label=LABELS[site])
        axis.set_xticks(range(len(pages)))
        axis.set_xticklabels([f"{p}\n({PEER_PAGES[p]})" if p in PEER_PAGES and "bakerydemo" in sites else p for p in pages], fontsize=8)
        axis.set_title(f"{panel[1:]} connection(s)")
        axis.set_ylabel(ylabel)
        axis.grid(axis="y", alpha=0.3)
    axes[0][0].legend()
    runs = figures.get("runs", 1)
    fig.suptitle(f"gunicorn, 2 sync workers, 2-core machine; median of {runs} run(s) of {figures['duration']} s")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def markdown(figures):
    rows = ["| site | page | conn | req/s | p50 ms | p99 ms | errors | CPU ms/req | queries cold / warm |", "|---|---|---|---|---|---|---|---|---|"]
    for line in figures["pages"]:
        for panel in sorted((k for k in line if k.startswith("c") and isinstance(line[k], dict)), key=lambda k: int(k[1:])):
            f = line[panel]
            rows.append(
                f"| {line['site']} | {line['page']} | {panel[1:]} | {f['requests_per_second']:.1f} | {f['p50_ms']} | {f['p99_ms']} "
                f"| {f['errors']} | {f['cpu_ms_per_request']} | {line.get('queries_cold', '-')} / {line.get('queries_warm', '-')} |"
            )
    for title, values in figures.get("ratios", {}).items():
        rows += ["", f"**{title.replace('_vs_', ' ÷ ')}**", "", "| page, connections | CPU ms/request | requests/s |", "|---|---|---|"]
        rows += [f"| {key.replace('_c', ', ')} | {v['cpu_ms_per_request']} | {v['requests_per_second']} |" for key, v in values.items()]
    return "\n".join(rows)


def main(source, target):
    figures = json.loads(Path(source).read_text())
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    plot(figures, "requests_per_second", "requests/s", target / "pages-requests.png")
    plot(figures, "cpu_ms_per_request", "server CPU ms per request", target / "pages-cpu.png")
    print(markdown(figures))


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""The figures of a run as JSON lines (stdout) and a table for people (stderr)."""

QUERY_LIMIT = 12
CPU_RATIO_TARGET = 0.5


def page_line(site, page_type, path, queries, by_connections):
    line = {"site": site, "page": page_type, "path": path}
    if queries:
        line.update(queries_cold=queries["cold"], queries_warm=queries["warm"])
    line.update({f"c{connections}": figures for connections, figures in by_connections.items()})
    return line


def ratios(lines, site, other):
    """``site`` ÷ ``other``, per page type both serve and connection count."""
    by_key = {(line["site"], line["page"]): line for line in lines}
    result = {}
    for (name, page_type), ours in by_key.items():
        theirs = by_key.get((other, page_type))
        if name != site or not theirs:
            continue
        for key, figures in ours.items():
            if not key.startswith("c") or not isinstance(figures, dict) or key not in theirs:
                continue
            result[f"{page_type}_{key}"] = {
                "cpu_ms_per_request": _ratio(figures["cpu_ms_per_request"], theirs[key]["cpu_ms_per_request"]),
                "requests_per_second": _ratio(figures["requests_per_second"], theirs[key]["requests_per_second"]),
            }
    return result


def _ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def table(lines, ratio_lines=None):
    rows = [("site", "page", "conn", "req/s", "p50 ms", "p99 ms", "errors", "CPU ms/req", "queries cold/warm")]
    for line in lines:
        queries = f"{line.get('queries_cold', '-')}/{line.get('queries_warm', '-')}"
        for key, figures in line.items():
            if key.startswith("c") and isinstance(figures, dict):
                rows.append((
                    line["site"], line["page"], key[1:], f"{figures['requests_per_second']:.1f}",
                    _fmt(figures["p50_ms"]), _fmt(figures["p99_ms"]), str(figures["errors"]),
                    _fmt(figures["cpu_ms_per_request"]), queries,
                ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    text = "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows)
    for title, values in (ratio_lines or {}).items():
        text += f"\n\n{title.replace('_vs_', ' ÷ ')}:\n" + "\n".join(
            f"  {key:<14} CPU/request {_fmt(value['cpu_ms_per_request'])}  requests/s {_fmt(value['requests_per_second'])}"
            for key, value in values.items()
        )
    return text


def rush_table(figures):
    keys = ("clients", "seconds", "posts", "accepted", "accepted_per_second", "status_5xx", "status_4xx", "status_429",
            "refused_invalid", "connection_errors", "post_p50_ms", "post_p99_ms", "stored_once", "duplicates", "missing",
            "stored_unacknowledged")  # fmt: skip
    return "deadline rush: " + ", ".join(f"{key} {figures.get(key)}" for key in keys)


def _fmt(value):
    return "-" if value is None else f"{value:.2f}"

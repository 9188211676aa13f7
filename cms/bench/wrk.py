"""Driving Debian's ``wrk`` and reading its report."""

import re
import subprocess

from .processes import require

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(url, connections, duration):
    """Load ``url`` with ``connections`` connections for ``duration`` seconds; the parsed report."""
    threads = min(connections, 2)
    command = [require("wrk"), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s", url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if result.returncode:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    return parse_wrk(result.stdout)


def parse_wrk(text):
    """requests, seconds, requests/s, p50/p99 in ms and errors (non-2xx/3xx plus socket errors)."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if not done:
        raise ValueError(f"Not a wrk report:\n{text}")
    report = {
        "requests": int(done.group(1)),
        "seconds": round(float(done.group(2)) * UNITS[done.group(3)] / 1000, 2),
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
    }
    for percent in ("50", "99"):
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        report[f"p{percent}_ms"] = round(float(match.group(1)) * UNITS[match.group(2)], 2) if match else None
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    report["non_2xx_3xx"] = int(non_2xx.group(1)) if non_2xx else 0
    report["socket_errors"] = sum(int(n) for n in socket.groups()) if socket else 0
    report["errors"] = report["non_2xx_3xx"] + report["socket_errors"]
    return report

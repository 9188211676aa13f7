"""Starting and stopping the servers a benchmark drives, and the CPU time they spend."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
START_TIMEOUT = 60


def free_port(host="127.0.0.1"):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def require(binary):
    """The full path of ``binary``, or a clear error naming the Debian package."""
    found = shutil.which(binary)
    if not found:
        raise RuntimeError(f"{binary} not found: apt-get install {binary}")
    return found


@contextmanager
def redis_server(log_dir):
    """A throwaway redis-server on a free port: flushing its cache touches nobody else's data."""
    port = free_port()
    log = open(Path(log_dir) / f"redis-{port}.log", "wb")
    process = subprocess.Popen(
        [require("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start; see {log.name}")
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        stop(process)
        log.close()


@contextmanager
def gunicorn(executable, app, env_for_port, cwd, log_path, workers=2):
    """gunicorn with ``workers`` sync workers on 127.0.0.1 and a free port; yields the server.

    ``env_for_port(port)`` gives its environment: a site may need to know its own address.
    """
    port = free_port()
    env = env_for_port(port)
    log = open(log_path, "ab")
    command = [
        str(executable), app, "--config", "/dev/null", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "sync", "--timeout", "60",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        server.wait_until_up()
        yield server
    finally:
        stop(process)
        log.close()


class Server:
    def __init__(self, process, base_url, log_path):
        self.process = process
        self.base_url = base_url
        self.log_path = log_path

    def wait_until_up(self):
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base_url + "/robots.txt", timeout=5):
                    pass
            except urllib.error.HTTPError:
                pass  # it answers: up
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT}s; see {self.log_path}")
                time.sleep(0.2)
                continue
            if len(self.worker_pids()) >= 1:
                return

    def worker_pids(self):
        return children(self.process.pid)

    def worker_cpu_seconds(self):
        """utime + stime of the master's worker processes, in seconds."""
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    def log_tail(self, lines=30):
        return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3 of stat(5), utime 14 and stime 15.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def stop(process, timeout=15):
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run(command, env, cwd, log_path, what):
    """Run a setup step, its output appended to ``log_path``; raise with the log's tail if it fails."""
    with open(log_path, "ab") as log:
        log.write(f"$ {' '.join(map(str, command))}\n".encode())
        log.flush()
        result = subprocess.run(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode:
        tail = "\n".join(Path(log_path).read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"{what} failed ({result.returncode}):\n{tail}")

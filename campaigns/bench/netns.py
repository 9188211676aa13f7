"""Network namespaces as stand-in hosts: each has a veth pair to the host and sees only the host side.

Host side 10.200.X.1, namespace side 10.200.X.2 (X picked unused). Redis,
the mail sink and the PostgreSQL relay listen on the host side addresses;
everything is removed again by ``remove``, also after an error.
"""

import subprocess
import sys
import time
import uuid

from django.conf import settings

RELAY_START_TIMEOUT = 30


def ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True)


def used_subnets():
    shown = subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True, check=True).stdout
    return {int(part.split(".")[2]) for part in shown.split() if part.startswith("10.200.")}


class Host:
    def __init__(self, name, host_address, address, host_link):
        self.name = name
        self.host_address = host_address  # what processes in the namespace connect to
        self.address = address
        self.host_link = host_link


class Namespaces:
    """``count`` namespaces, each a "host" for workers; a context manager that removes them on exit."""

    def __init__(self, count):
        self.count = count
        self.hosts = []
        self.relay = None

    def __enter__(self):
        tag = uuid.uuid4().hex[:6]
        free = sorted(set(range(100, 250)) - used_subnets())[: self.count]
        try:
            for index, subnet in enumerate(free):
                name = f"zwbench-{tag}-{index}"
                host_link, inner_link = f"zwb{tag}{index}h", f"zwb{tag}{index}n"
                host = Host(name, f"10.200.{subnet}.1", f"10.200.{subnet}.2", host_link)
                ip("netns", "add", name)
                self.hosts.append(host)
                ip("link", "add", host_link, "type", "veth", "peer", "name", inner_link)
                ip("link", "set", inner_link, "netns", name)
                ip("addr", "add", f"{host.host_address}/24", "dev", host_link)
                ip("link", "set", host_link, "up")
                ip("netns", "exec", name, "ip", "addr", "add", f"{host.address}/24", "dev", inner_link)
                ip("netns", "exec", name, "ip", "link", "set", inner_link, "up")
                ip("netns", "exec", name, "ip", "link", "set", "lo", "up")
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc_info):
        self.remove()

    @property
    def host_addresses(self):
        return [host.host_address for host in self.hosts]

    def start_relay(self, target_host, target_port, log_path):
        """A TCP relay from port ``target_port`` on every host side address to ``target_host``."""
        listens = [f"{address}:{target_port}" for address in self.host_addresses]
        with open(log_path, "wb") as log:
            self.relay = subprocess.Popen(
                [sys.executable, "-m", "campaigns.bench.relay", f"{target_host}:{target_port}", *listens],
                cwd=settings.BASE_DIR,
                stdout=subprocess.PIPE,
                stderr=log,
            )
        deadline = time.monotonic() + RELAY_START_TIMEOUT
        line = self.relay.stdout.readline()
        if b"listening" not in line or time.monotonic() > deadline:
            raise RuntimeError(f"The database relay did not start: {open(log_path).read()[-2000:]}")

    def remove(self):
        if self.relay and self.relay.poll() is None:
            self.relay.kill()
            self.relay.wait()
        for host in self.hosts:
            subprocess.run(["ip", "link", "del", host.host_link], capture_output=True)
            subprocess.run(["ip", "netns", "del", host.name], capture_output=True)
        self.hosts = []

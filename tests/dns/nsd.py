"""A real authoritative DNS server for the tests: NSD on 127.0.0.1, started and stopped by the suite.

NSD answers NXDOMAIN and NODATA as a real server does. When it is missing and the tests run as root
with apt-get available, it is installed; in CI (CI=true) a missing server is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ZONES = Path(__file__).parent / "zones"


def ensure_nsd() -> str:
    found = shutil.which("nsd") or (Path("/usr/sbin/nsd").exists() and "/usr/sbin/nsd") or None
    if found:
        return str(found)
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nsd"], check=False, capture_output=True, env=env)
        found = shutil.which("nsd") or (Path("/usr/sbin/nsd").exists() and "/usr/sbin/nsd") or None
        if found:
            return str(found)
    message = "NSD is not installed and could not be installed (apt-get install nsd)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError("unreachable")


def free_port() -> int:
    """A port free for both TCP and UDP on 127.0.0.1 (a DNS server needs both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port: int = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
        return port
    raise RuntimeError("no port free for both TCP and UDP on 127.0.0.1")


def _config(workdir: Path, port: int, zones: list[str], zones_dir: Path = ZONES) -> Path:
    lines = [
        "server:",
        f"  ip-address: 127.0.0.1@{port}",
        '  username: ""',
        '  chroot: ""',
        f'  zonesdir: "{zones_dir}"',
        '  database: ""',
        f'  pidfile: "{workdir}/nsd.pid"',
        f'  xfrdfile: "{workdir}/xfrd.state"',
        f'  zonelistfile: "{workdir}/zone.list"',
        f'  logfile: "{workdir}/nsd.log"',
        "  server-count: 1",
        "  verbosity: 1",
        "remote-control:",
        "  control-enable: no",
    ]
    for zone in zones:
        lines += ["zone:", f"  name: {zone}", f"  zonefile: {zone}.zone"]
    path = workdir / "nsd.conf"
    path.write_text("\n".join(lines) + "\n")
    return path


def _answers(port: int) -> bool:
    query = bytes.fromhex(
        "12340000000100000000000007" + b"example".hex() + "03" + b"com".hex() + "0000060001"
    )
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        try:
            sock.sendto(query, ("127.0.0.1", port))
            sock.recvfrom(512)
            return True
        except OSError:
            return False


@contextmanager
def running(workdir: Path, zones_dir: Path = ZONES) -> Iterator[int]:
    """NSD on a free port serving every *.zone of zones_dir; a port taken between choosing and binding it
    is retried with another."""
    for attempt in range(3):
        try:
            with _running(workdir, zones_dir, last=attempt == 2) as port:
                yield port
                return
        except _PortTaken:
            continue


class _PortTaken(Exception):
    pass


@contextmanager
def _running(workdir: Path, zones_dir: Path, last: bool) -> Iterator[int]:
    binary = ensure_nsd()
    zones = sorted(p.name[: -len(".zone")] for p in zones_dir.glob("*.zone"))
    port = free_port()
    config = _config(workdir, port, zones, zones_dir)
    checker = shutil.which("nsd-checkconf") or str(Path(binary).with_name("nsd-checkconf"))
    check = subprocess.run([checker, str(config)], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        pytest.fail(f"nsd.conf invalid: {check.stderr or check.stdout}")
    process = subprocess.Popen(
        [binary, "-d", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 15
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (workdir / "nsd.log").read_text() if (workdir / "nsd.log").exists() else ""
                output = process.stdout.read().decode() if process.stdout else ""
                if "Address already in use" in log and not last:
                    (workdir / "nsd.log").unlink()
                    raise _PortTaken(log)
                pytest.fail(f"NSD did not start: {output} {log}")
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def silent_server() -> Iterator[int]:
    """A UDP and TCP port on 127.0.0.1 that reads questions and never answers (the timeout path)."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    port = udp.getsockname()[1]
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        tcp.bind(("127.0.0.1", port))
        tcp.listen(8)
    except OSError:
        pass
    try:
        yield port
    finally:
        udp.close()
        tcp.close()

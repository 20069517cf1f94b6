"""Child processes (the host, the simulator, nginx) and what the benchmarks read from /proc."""
import http.client
import os
import signal
import socket
import subprocess
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """User + system CPU time of the process (all its threads) so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid, field="VmRSS"):
    """VmRSS (or VmHWM, the peak) of the process, MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for {pid}")


def get(port, path, headers=None, timeout=5):
    """(status, headers dict, body bytes) of one plain GET on 127.0.0.1:port."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Process:
    """A child process that is stopped (SIGTERM, then SIGKILL) when the benchmark ends."""

    def __init__(self, name, argv, log_path, env=None, cpus=None):
        self.name = name
        self.log_path = log_path
        if cpus is not None:
            argv = ["taskset", "-c", cpus] + list(argv)
        self.log = open(log_path, "ab")
        self.started = time.monotonic()
        self.popen = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                      env=env, start_new_session=True)

    @property
    def pid(self):
        return self.popen.pid

    def wait_http(self, port, path, timeout=30, interval=0.0005):
        """Polls GET path until it answers 200; returns the seconds since the process started."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.popen.returncode}); see {self.log_path}")
            try:
                status, _, _ = get(port, path, timeout=1)
                if status == 200:
                    return time.monotonic() - self.started
                last = f"last answer {status}"
            except OSError as e:
                last = f"last error {e}"
            time.sleep(interval)
        raise RuntimeError(f"{self.name} did not answer {path} within {timeout} s ({last}); "
                           f"see {self.log_path}")

    def stop(self):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.log.close()

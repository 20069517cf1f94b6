"""wrk runs with the Lua scripts of tests/bench/wrk, read back from their RESULT line."""
import os
import re
import subprocess

WRK_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "wrk")


def run(url, script, seconds, connections=1, threads=1, token=None, body=None, cpus=None):
    env = dict(os.environ, BENCH_WRK_DIR=WRK_DIR, BENCH_TOKEN=token or "", BENCH_BODY=body or "")
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
            "-s", os.path.join(WRK_DIR, script), url]
    if cpus is not None:
        argv = ["taskset", "-c", cpus] + argv
    out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no RESULT line:\n{out}")
    result = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}
    if result["errors"]:
        raise RuntimeError(f"wrk saw {int(result['errors'])} errors on {url}:\n{out}")
    return result

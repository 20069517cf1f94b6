"""The connect flow (point 4): authorize + provider consent + callback (state, code exchange
against provider-sim, identity, encryption, insert) + the confirmation
(POST /api/v1/connectors/complete), driven by bench_connect_flow from several threads; flows per
second, and the host's CPU time per flow."""
import json
import subprocess

from . import procs


def drive(world, token, threads, seconds, max_flows, tag):
    out = subprocess.run([f"{world.build}/bin/bench_connect_flow", str(world.host_port),
                          str(world.sim_port), token, str(threads), str(seconds), str(max_flows), tag],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def run(world, rows, token, seconds, backend="SQLite", threads=8):
    drive(world, token, 2, 1, 20, "warm")
    before = procs.cpu_seconds(world.host.pid)
    result = drive(world, token, threads, seconds, 10**9, "rate")
    cpu_ms = (procs.cpu_seconds(world.host.pid) - before) * 1000 / max(result["flows"], 1)
    rate = result["flows"] / result["seconds"]
    rows.add(f"connect flow incl. confirmation ({backend}, {threads} clients)", f"{rate:.0f} flows/s",
             f"host CPU {cpu_ms:.2f} ms/flow; {result['errors']} errors", None, ">= 2000/s",
             ok=rate >= 2000 and result["errors"] == 0)
    if result["errors"]:
        print(f"  first error: {result['first_error']}")

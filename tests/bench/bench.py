#!/usr/bin/python3
"""scripts/bench: builds what it needs in a build directory of its own (RelWithDebInfo), runs every
benchmark beside its peer in the same run, and prints one table of figures and ratios.

  scripts/bench [--build-dir DIR] [--seconds N] [--wave N]
                [--only fernet,startup,api,actions,connect,refresh,install]
                [--no-build] [--markdown FILE]

The machine may be shared: CPU time (/proc, Google Benchmark's cpu_time) is what the CPU figures
use, and every ratio is against a peer measured in the same run."""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import actions, api, connect, fernet, install_size, refresh, startup  # noqa: E402
from harness.table import Rows  # noqa: E402
from harness.world import API_KEY, World, jwt  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = ["switchboard", "provider-sim", "google_calendar", "gmail", "google_drive", "hubspot",
           "bench_fernet", "bench_contract_catalog", "bench_connect_flow"]
ALL = ["fernet", "startup", "api", "actions", "connect", "refresh", "install"]


def build(build_dir):
    if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
        launcher = ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DCMAKE_C_COMPILER_LAUNCHER=ccache"] \
            if subprocess.run(["which", "ccache"], capture_output=True).returncode == 0 else []
        subprocess.run(["cmake", "-S", REPO, "-B", build_dir, "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DSB_BUILD_TESTS=ON",
                        "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG",
                        "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"] + launcher, check=True)
    subprocess.run(["cmake", "--build", build_dir, "--target"] + TARGETS, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(REPO, "build-bench"))
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--only", default=",".join(ALL))
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--wave", type=int, default=100000, help="connectors of the refresh wave")
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()
    only = set(args.only.split(","))
    build_dir = os.path.abspath(args.build_dir)
    if not args.no_build:
        build(build_dir)
    rows = Rows()
    print(f"scripts/bench on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    if "fernet" in only:
        fernet.run(build_dir, rows)
    with tempfile.TemporaryDirectory(prefix="sb-bench-") as work:
        if only & {"startup", "api", "actions", "connect", "refresh"}:
            world = World(REPO, build_dir, work)
            try:
                token = jwt()
                if "startup" in only:
                    startup.run(world, rows)
                if "api" in only:
                    for i in range(20):
                        world.connect(token, name=f"Bench {i}", account=f"list-{i}@example.com")
                    api.run(world, rows, args.seconds, token)
                if "actions" in only:
                    world.connect(API_KEY, name="Actions", account="actions@example.com")
                    actions.run(world, rows, args.seconds,
                                world.sim_access_token("direct@example.com"))
                if "connect" in only:
                    connect.run(world, rows, token, args.seconds)
                if "refresh" in only:
                    refresh.run(world, rows, token, args.wave)
            finally:
                world.stop()
        if "install" in only:
            install_size.run(build_dir, work, rows)
    print()
    print(rows.markdown())
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(rows.markdown() + "\n")


if __name__ == "__main__":
    main()

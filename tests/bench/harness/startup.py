"""Start-up and idle memory (point 6): process start to GET /readyz answering 200 with the four
plugins loaded (the database already migrated, as on any restart), median of several starts;
resident memory once it has settled."""
import statistics
import time

from . import procs


def run(world, rows, starts=5):
    times = []
    for _ in range(starts):
        world.stop_host()
        times.append(world.start_host() * 1000)
    time.sleep(1)
    idle = procs.rss_mib(world.host.pid)
    rows.add("start to /readyz OK (4 plugins, SQLite)", f"{statistics.median(times):.0f} ms",
             f"min {min(times):.0f} ms of {starts}", None, "< 100 ms",
             ok=statistics.median(times) < 100)
    rows.add("RSS idle after start", f"{idle:.1f} MiB", "", None, "< 30 MiB", ok=idle < 30)

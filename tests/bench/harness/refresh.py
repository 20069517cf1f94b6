"""The refresh wave (point 5): `count` connectors whose tokens are all due at once, refreshed by
one host against provider-sim. The accounts are connected through the whole flow while the
simulator issues 600-second tokens (due at once under the default 900-second window) and the
host's refresh sleeps; then the simulator goes back to hour-long tokens and the host restarts
with a 1-second interval. Time from the process start until the simulator has counted `count`
refresh grants; duplicates are the grants past `count` (each connector must be refreshed once),
checked again after the wave settles, and every row must carry a last_refreshed_at."""
import sqlite3
import time

from . import connect

WAVE_REFRESH = {"interval_seconds": 1, "concurrency": 64, "per_provider_concurrency": 64,
                "jitter_seconds": 0}


def token_grants(world):
    return world.sim_admin("GET", "/_admin/counters")["calls"].get("oauth2.token", 0)


def run(world, rows, token, count, timeout=600):
    world.stop_host()
    world.configure({"interval_seconds": 3600, "jitter_seconds": 0})
    world.start_host()
    world.sim_admin("PUT", "/_admin/settings", {"google_access_token_lifetime": 600})
    seeded = connect.drive(world, token, 8, 3600, count, "wave")
    if seeded["flows"] != count:
        raise RuntimeError(f"only {seeded['flows']} of {count} connects succeeded: {seeded['first_error']}")
    world.stop_host()
    world.sim_admin("PUT", "/_admin/settings", {"google_access_token_lifetime": 3599})
    before = token_grants(world)
    world.configure(WAVE_REFRESH)
    world.start_host()
    started = world.host.started
    done_at = None
    while time.monotonic() - started < timeout:
        if token_grants(world) - before >= count:
            done_at = time.monotonic()
            break
        time.sleep(0.2)
    time.sleep(3)
    grants = token_grants(world) - before
    with sqlite3.connect(f"{world.work}/bench.db") as db:
        refreshed = db.execute("SELECT COUNT(*) FROM connector_accounts WHERE provider = "
                               "'google_calendar' AND last_refreshed_at IS NOT NULL").fetchone()[0]
    seconds = (done_at or time.monotonic()) - started
    duplicates = max(grants - count, 0)
    rows.add(f"refresh wave: {count} connectors due at once (SQLite, 1 instance)",
             f"{seconds:.1f} s" if done_at else f"not done in {timeout} s ({grants} refreshed)",
             f"{count / seconds:.0f}/s; {duplicates} duplicates; {refreshed} rows refreshed",
             None, "< 60 s, 0 duplicates",
             ok=bool(done_at) and seconds < 60 and duplicates == 0 and refreshed >= count)
    world.stop_host()
    world.configure()
    world.start_host()

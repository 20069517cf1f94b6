"""Action overhead (point 1): what the host adds to calendar.list_events and
calendar.create_event, against the same provider call sent straight to the simulator. Requests
go one at a time (wrk, one connection): host CPU per action is the host process's CPU time over
the run divided by the actions; the simulator's CPU per call is measured the same way on the
direct run; the added latency is the difference of the medians."""
import json

from . import procs, wrk
from .world import API_KEY

TIME_MIN, TIME_MAX = "2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z"

ACTIONS = {
    "list_events": {
        "params": {"time_min": TIME_MIN, "time_max": TIME_MAX, "max_results": 10},
        # The call the plugin makes for it.
        "direct": ("GET", f"/www.googleapis.com/calendar/v3/calendars/primary/events?timeMin={TIME_MIN}"
                          f"&timeMax={TIME_MAX}&singleEvents=true&orderBy=startTime&maxResults=10", None),
    },
    "create_event": {
        "params": {"summary": "Bench", "start": {"date_time": "2030-01-01T09:00:00Z"},
                   "end": {"date_time": "2030-01-01T10:00:00Z"}},
        "direct": ("POST", "/www.googleapis.com/calendar/v3/calendars/primary/events",
                   {"summary": "Bench", "start": {"dateTime": "2030-01-01T09:00:00Z"},
                    "end": {"dateTime": "2030-01-01T10:00:00Z"}}),
    },
}


def measure(process, url, script, seconds, token=None, body=None):
    before = procs.cpu_seconds(process.pid)
    result = wrk.run(url, script, seconds, token=token, body=body)
    result["cpu_ms"] = (procs.cpu_seconds(process.pid) - before) * 1000 / result["requests"]
    return result


def run(world, rows, seconds, access_token):
    host = f"http://127.0.0.1:{world.host_port}"
    sim = f"http://127.0.0.1:{world.sim_port}"
    for name, spec in ACTIONS.items():
        body = json.dumps({"params": spec["params"]})
        method, path, direct_body = spec["direct"]
        script = "get.lua" if method == "GET" else "action.lua"
        # Warm both paths (connection pools, the plugin's first call), then measure.
        wrk.run(f"{host}/api/v1/actions/calendar.{name}", "action.lua", 1, token=API_KEY, body=body)
        direct = measure(world.sim, sim + path, script, seconds, token=access_token,
                         body=json.dumps(direct_body) if direct_body else None)
        through = measure(world.host, f"{host}/api/v1/actions/calendar.{name}", "action.lua",
                          seconds, token=API_KEY, body=body)
        rows.add(f"calendar.{name}: host CPU per action", f"{through['cpu_ms']:.3f} ms",
                 f"simulator {direct['cpu_ms']:.3f} ms/call", None, "< 0.3 ms",
                 ok=through["cpu_ms"] < 0.3)
        added = through["p50_ms"] - direct["p50_ms"]
        rows.add(f"calendar.{name}: p50 added latency", f"{added:.3f} ms",
                 f"direct p50 {direct['p50_ms']:.3f} ms, host {through['p50_ms']:.3f} ms", None,
                 "< 0.3 ms", ok=added < 0.3)

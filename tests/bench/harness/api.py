"""The REST API under load (point 2): GET /api/v1/connectors (JWT, 20 connectors) and
/api/v1/connectors/providers with wrk -t1 -c32, the server on one core, against nginx serving
the same bytes from a file on that core (one worker, no access log), and /healthz for scale.
The host's resident memory is sampled while it serves (point 6)."""
import grp
import os
import pwd
import threading

from . import procs, wrk

# `user`: started by root, nginx runs its worker as nobody, who may not read the run's private
# (0700) temporary directory; the worker runs as whoever runs the bench instead (nginx ignores
# the directive, with a warning, when it is not started by root).
NGINX_CONF = """
daemon off;
user {user} {group};
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx-tmp;
  proxy_temp_path {work}/nginx-tmp;
  fastcgi_temp_path {work}/nginx-tmp;
  uwsgi_temp_path {work}/nginx-tmp;
  scgi_temp_path {work}/nginx-tmp;
  server {{
    listen 127.0.0.1:{port};
    location / {{ root {work}/static; default_type application/json; }}
  }}
}}
"""


class PeakRss:
    """Samples a process's resident memory every 50 ms while it is in use."""

    def __init__(self, pid):
        self.pid, self.peak, self.stop_flag = pid, 0.0, threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        while not self.stop_flag.is_set():
            self.peak = max(self.peak, procs.rss_mib(self.pid))
            self.stop_flag.wait(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag.set()
        self.thread.join()


def start_nginx(work, files):
    os.makedirs(f"{work}/static", exist_ok=True)
    os.makedirs(f"{work}/nginx-tmp", exist_ok=True)
    for name, data in files.items():
        with open(f"{work}/static/{name}", "wb") as f:
            f.write(data)
    port = procs.free_port()
    with open(f"{work}/nginx.conf", "w") as f:
        f.write(NGINX_CONF.format(work=work, port=port, user=pwd.getpwuid(os.geteuid()).pw_name,
                                  group=grp.getgrgid(os.getegid()).gr_name))
    nginx = procs.Process("nginx", ["/usr/sbin/nginx", "-c", f"{work}/nginx.conf", "-e",
                                    f"{work}/nginx-error.log"], f"{work}/nginx.log", cpus="1")
    nginx.wait_http(port, "/" + next(iter(files)))
    return nginx, port


def run(world, rows, seconds, token, server_cpu="1", client_cpu="0"):
    host = world.host_port
    bodies = {}
    for name, path, auth in (("connectors", "/api/v1/connectors", token),
                             ("providers", "/api/v1/connectors/providers", None),
                             ("healthz", "/healthz", None)):
        status, _, body = procs.get(host, path, {"Authorization": f"Bearer {auth}"} if auth else {})
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        bodies[name] = (path, auth, body)
    count = len(__import__("json").loads(bodies["connectors"][2])["connectors"])
    nginx, nginx_port = start_nginx(world.work, {name: body for name, (_, _, body) in bodies.items()})
    try:
        os.system(f"taskset -a -p -c {server_cpu} {world.host.pid} > /dev/null")
        idle_rss = procs.rss_mib(world.host.pid)
        results = {}
        with PeakRss(world.host.pid) as peak:
            for name, (path, auth, body) in bodies.items():
                common = dict(seconds=seconds, connections=32, threads=1, cpus=client_cpu)
                ours = wrk.run(f"http://127.0.0.1:{host}{path}", "get.lua", token=auth, **common)
                peer = wrk.run(f"http://127.0.0.1:{nginx_port}/{name}", "get.lua", **common)
                results[name] = (ours, peer, len(body))
        for name, target in (("connectors", 0.5), ("providers", 0.9), ("healthz", None)):
            ours, peer, size = results[name]
            what = {"connectors": f"GET /api/v1/connectors ({count} connectors, JWT, {size} B)",
                    "providers": f"GET /api/v1/connectors/providers ({size} B)",
                    "healthz": "GET /healthz"}[name]
            rows.add(f"{what}: requests/s", f"{ours['rps']:.0f}/s", f"nginx {peer['rps']:.0f}/s",
                     ours["rps"] / peer["rps"], f">= {target}x" if target else "")
            if name == "connectors":
                rows.add(f"{what}: p99 at 32 connections", f"{ours['p99_ms']:.2f} ms",
                         f"nginx {peer['p99_ms']:.2f} ms", None, "< 5 ms", ok=ours["p99_ms"] < 5)
        rows.add("RSS while serving that load (peak)", f"{peak.peak:.1f} MiB",
                 f"before it {idle_rss:.1f} MiB", None, "< 60 MiB", ok=peak.peak < 60)
    finally:
        nginx.stop()
        os.system(f"taskset -a -p -c 0-{os.cpu_count() - 1} {world.host.pid} > /dev/null")

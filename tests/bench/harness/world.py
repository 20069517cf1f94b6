"""The world the benchmarks run in: provider-sim, a `switchboard serve` on SQLite (config/demo.json
moved to free ports, a throwaway database, warning-level logs, a JWT issuer beside the demo API key)
and the accounts it connects through the whole OAuth flow."""
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import time
import urllib.parse

from . import procs

API_KEY = "sb-demo-key-for-local-use-only"  # config/demo.json's key: tenant demo-tenant
JWT_SECRET = "bench-jwt-secret-of-at-least-32-bytes!!"
JWT_ISSUER = "https://bench.example"
JWT_AUDIENCE = "switchboard-bench"
JWT_TENANT = "bench-tenant"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(tenant=JWT_TENANT, user="bench-user"):
    """An HS256 JWT for the bench's issuer and audience, valid for an hour."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"iss": JWT_ISSUER, "aud": JWT_AUDIENCE, "sub": user, "tenant_id": tenant,
              "iat": int(time.time()), "exp": int(time.time()) + 3600}
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(JWT_SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def host_config(repo, work, host_port, sim_port, refresh=None, **server):
    """config/demo.json pointed at this run's ports and files, with a JWT section."""
    with open(os.path.join(repo, "config", "demo.json")) as f:
        text = f.read().replace("8977", str(sim_port))
    config = json.loads(text)
    config["server"].update({"port": host_port}, **server)
    config["log"]["level"] = "warning"
    config["database"]["url"] = f"sqlite://{work}/bench.db"
    base = f"http://127.0.0.1:{host_port}"
    config["public_urls"] = {"api_base_url": base, "frontend_url": base}
    config["auth"]["jwt"] = {"hs256_secret_env": "BENCH_JWT_SECRET", "issuer": JWT_ISSUER,
                             "audience": JWT_AUDIENCE}
    # The host's outbound token buckets model the providers' published quotas (Google Calendar:
    # 8 calls/s per tenant, 150/s per project); the simulator has none, and every account here is
    # in one tenant, so with them on the action, connect and refresh figures would measure the
    # configured quota (a 100,000-connector wave at 8/s) instead of the host.
    config["rate_limits"] = {"enabled": False}
    if refresh:
        config["refresh"] = refresh
    return config


def host_env(build):
    env = dict(os.environ)
    key = os.popen(f"{build}/bin/switchboard keygen").read().strip()
    env.update({"CONNECTOR_ENCRYPTION_KEY": key, "BENCH_JWT_SECRET": JWT_SECRET,
                "GOOGLE_CLIENT_ID": "sim-google-client-id",
                "GOOGLE_CLIENT_SECRET": "sim-google-client-secret",
                "HUBSPOT_CLIENT_ID": "sim-hubspot-client-id",
                "HUBSPOT_CLIENT_SECRET": "sim-hubspot-client-secret"})
    return env


class World:
    def __init__(self, repo, build, work, sim_threads=None, host_cpus=None, refresh=None, **server):
        self.repo, self.build, self.work = repo, build, work
        self.sim_port = procs.free_port()
        self.host_port = procs.free_port()
        sim_args = [f"{build}/bin/provider-sim", "--port", str(self.sim_port), "--auto-approve",
                    "--log-level", "warn"]
        if sim_threads:
            sim_args += ["--threads", str(sim_threads)]
        self.sim = procs.Process("provider-sim", sim_args, f"{work}/sim.log")
        self.config_path = f"{work}/bench.json"
        self.server = server
        self.configure(refresh)
        self.env = host_env(build)
        self.host = None
        self.host_cpus = host_cpus
        self.sim.wait_http(self.sim_port, "/_admin/health")
        self.start_host()

    def configure(self, refresh=None):
        """(Re)writes the host's config file; takes effect at the next start."""
        with open(self.config_path, "w") as f:
            json.dump(host_config(self.repo, self.work, self.host_port, self.sim_port, refresh,
                                  **self.server), f, indent=2)

    def sim_admin(self, method, path, body=None):
        status, _, answer = self.request(self.sim_port, method, path, body=body)
        if status >= 300:
            raise RuntimeError(f"{method} {path} answered {status}: {answer[:200]!r}")
        return json.loads(answer) if answer else None

    def start_host(self):
        self.host = procs.Process("switchboard", [f"{self.build}/bin/switchboard", "serve", "--config",
                                                  self.config_path],
                                  f"{self.work}/host.log", env=self.env, cpus=self.host_cpus)
        return self.host.wait_http(self.host_port, "/readyz")

    def stop_host(self):
        if self.host:
            self.host.stop()
            self.host = None

    def stop(self):
        self.stop_host()
        self.sim.stop()

    # ---- HTTP -------------------------------------------------------------------------------

    def request(self, port, method, path, token=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheader("Location"), response.read()
        finally:
            conn.close()

    def connect(self, token, provider="google_calendar", category="calendar", name="Bench",
                account=None):
        """The whole connect flow of the front end: authorize, the provider's consent (the
        simulator approves `account` at once), the callback, the confirmation. Returns the
        connector's JSON."""
        status, _, body = self.request(self.host_port, "POST", "/api/v1/connectors/authorize", token,
                                       {"type": category, "provider": provider, "name": name})
        if status != 200:
            raise RuntimeError(f"authorize answered {status}: {body[:300]!r}")
        url = json.loads(body)["authorization_url"]
        if account:
            url += "&login_hint=" + urllib.parse.quote(account)
        parts = urllib.parse.urlsplit(url)
        status, location, body = self.request(parts.port, "GET", f"{parts.path}?{parts.query}")
        if status not in (302, 303) or not location:
            raise RuntimeError(f"the simulator's consent answered {status}: {body[:300]!r}")
        parts = urllib.parse.urlsplit(location)
        status, location, body = self.request(parts.port, "GET", f"{parts.path}?{parts.query}")
        if status not in (302, 303) or "success=true" not in (location or ""):
            raise RuntimeError(f"the callback answered {status} to {location}: {body[:300]!r}")
        completion = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["completion"][0]
        status, _, body = self.request(self.host_port, "POST", "/api/v1/connectors/complete", token,
                                       {"completion": completion})
        if status != 201:
            raise RuntimeError(f"complete answered {status}: {body[:300]!r}")
        return json.loads(body)

    def sim_access_token(self, account="sim.user@example.com"):
        """An access token from the simulator's own OAuth flow (RFC 7636 Appendix B's PKCE pair),
        for the peer that calls the provider directly."""
        verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        query = urllib.parse.urlencode({
            "client_id": "sim-google-client-id", "redirect_uri": "http://localhost/cb",
            "response_type": "code", "state": "s", "login_hint": account,
            "scope": "https://www.googleapis.com/auth/calendar.events",
            "code_challenge": challenge, "code_challenge_method": "S256"})
        _, location, _ = self.request(self.sim_port, "GET", f"/accounts.google.com/o/oauth2/v2/auth?{query}")
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]
        form = urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": code, "client_id": "sim-google-client-id",
            "client_secret": "sim-google-client-secret", "redirect_uri": "http://localhost/cb",
            "code_verifier": verifier})
        conn = http.client.HTTPConnection("127.0.0.1", self.sim_port, timeout=30)
        conn.request("POST", "/oauth2.googleapis.com/token", body=form,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        tokens = json.loads(conn.getresponse().read())
        conn.close()
        return tokens["access_token"]

"""Fernet (point 3): bench_fernet (Google Benchmark, CPU time) beside Python's cryptography.fernet,
the seed's implementation, timed in the same run by CPU time too."""
import json
import subprocess

PYTHON_PEER = r"""
import json, time, timeit
from cryptography.fernet import Fernet
plaintext = (b"ya29." + b"a0AfB_byC-Xk9Qm2vT7" * 12)[:220]
fernet = Fernet(Fernet.generate_key())
token = fernet.encrypt(plaintext)
out = {}
for name, call in (("encrypt", lambda: fernet.encrypt(plaintext)), ("decrypt", lambda: fernet.decrypt(token))):
    number = 20000
    best = min(timeit.repeat(call, number=number, repeat=5, timer=time.process_time))
    out[name] = best / number * 1e9
print(json.dumps(out))
"""


def run(build, rows):
    raw = subprocess.run([f"{build}/bin/bench_fernet", "--benchmark_format=json",
                          "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    median = {}
    for b in json.loads(raw)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            median[b["run_name"]] = b["cpu_time"]
    python = json.loads(subprocess.run(["/usr/bin/python3", "-c", PYTHON_PEER], check=True,
                                       capture_output=True, text=True).stdout)
    for op, ours, peer in (("encrypt", "BM_TokenCipherEncrypt", "BM_PeerPrefetchedEncrypt"),
                           ("decrypt", "BM_TokenCipherDecrypt", "BM_PeerPrefetchedDecrypt")):
        ns = median[ours]
        rows.add(f"fernet {op}, 220-byte token", f"{ns / 1000:.2f} µs CPU",
                 f"python cryptography {python[op] / 1000:.1f} µs", python[op] / ns, ">= 20x")
        rows.add(f"fernet {op} vs prefetched OpenSSL loop", f"{ns / 1000:.2f} µs CPU",
                 f"prefetched loop {median[peer] / 1000:.2f} µs", median[peer] / ns, ">= 0.6x")

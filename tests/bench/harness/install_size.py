"""The installed binary (point 6): `cmake --install` strips it and keeps its debug info apart."""
import os
import subprocess


def run(build, work, rows):
    prefix = f"{work}/install"
    subprocess.run(["cmake", "--install", build, "--prefix", prefix, "--component", "host"],
                   check=True, capture_output=True)
    installed = os.path.getsize(f"{prefix}/bin/switchboard") / 2**20
    built = os.path.getsize(f"{build}/bin/switchboard") / 2**20
    debug = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(f"{prefix}/lib/debug")
                for f in files) / 2**20
    rows.add("installed bin/switchboard (stripped)", f"{installed:.1f} MiB",
             f"build tree {built:.1f} MiB; debug info apart {debug:.1f} MiB", None, "stripped",
             ok=installed < built)

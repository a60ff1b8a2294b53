"""`make bench`: benchmark datasets at --scale 1, 10 and 100 on SQLite and PostgreSQL.

Builds each dataset once (seed_demo + close_cutoff, cached under bench/out/ and in PostgreSQL
databases acuerdos_bench_sN), then measures it in a fresh process (bench/measure.py) and prints
times and ratios against the hand-written SQL floor measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
CUTOFF = "2026-10-31"


def env_for(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "ACUERDOS_ALLOW_DEV_SECRET": "true",
        "HUEY_IMMEDIATE": "true",
        "MEDIA_ROOT": str(OUT / "media"),
        "LOG_LEVEL": "WARNING",
    }


def manage(url: str, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env_for(url), check=True)


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except Exception:
        return False


def dataset_url(vendor: str, scale: int, *, rebuild: bool) -> str:
    """The dataset's DATABASE_URL, built (seeded and cut-off closed) if it does not exist."""
    if vendor == "sqlite":
        path = OUT / f"acuerdos-s{scale}.sqlite3"
        url = f"sqlite:///{path}"
        exists = path.exists() and not rebuild
        if not exists:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        name = f"acuerdos_bench_s{scale}"
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            exists = bool(found) and not rebuild
            if found and not exists:
                conn.execute(f'DROP DATABASE "{name}"')
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    if not exists:
        started = time.perf_counter()
        manage(url, "migrate", "--no-input", "-v", "0")
        manage(url, "seed_demo", "--scale", str(scale), "--seed", "1")
        manage(url, "close_cutoff", CUTOFF)
        print(f"  built {vendor} ×{scale} in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="rebuild cached datasets")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    vendors = args.databases.split(",")
    if "postgresql" in vendors and not postgres_available():
        print("PostgreSQL no responde: se omite.")
        vendors.remove("postgresql")
    rows = []
    for vendor in vendors:
        for scale in (int(s) for s in args.scales.split(",")):
            print(f"{vendor} ×{scale}", flush=True)
            url = dataset_url(vendor, scale, rebuild=args.rebuild)
            measured = subprocess.run(
                [PYTHON, "bench/measure.py", str(args.repeat)],
                cwd=ROOT,
                env=env_for(url),
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(measured.stdout.strip().splitlines()[-1])
            rows.append((vendor, scale, result))
    print()
    print("Evaluation benchmark: national figures by unit (median seconds; ratio = ours / floor)")
    header = f"{'db':<11}{'scale':>6}{'commitments':>12}{'reports':>10}"
    for label in ("today", "past date", "cut-off"):
        header += f"{label:>22}"
    print(header)
    for vendor, scale, r in rows:
        line = f"{vendor:<11}{scale:>6}{r['commitments']:>12,}{r['reports']:>10,}"
        for key in ("today", "past", "cutoff"):
            ours, floor = r[key], r[f"{key}_floor"]
            line += f"{ours:>9.3f}s /{floor:>6.3f}s {ours / floor:>4.2f}×"
        print(line)
        if r["groups_mismatched"]:
            print(f"  ¡{r['groups_mismatched']} grupos difieren del piso en conteos por estado!")
    (OUT / "results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

"""`make bench`: benchmark datasets at --scale 1, 10 and 100 on SQLite and PostgreSQL.

Builds each dataset once and caches it (under BENCH_OUT, by default bench/out/): SQLite ×1 and
×10 with `seed_demo` + `close_cutoff`; SQLite ×100 as the ×10 seed replicated ten times
(bench/datasets.py: `seed_demo --scale 100` writes its whole history and takes hours on this
machine; BENCH_FULL_SEED=1 seeds it instead); each PostgreSQL dataset (database
acuerdos_bench_sN) is a copy of the SQLite one, so both databases hold the same rows. Then it
measures each dataset in a fresh process (bench/measure.py) and prints times and ratios against
the hand-written SQL floor measured in the same run. BENCH_SCALES (default 1,10,100) chooses the
scales. On the shared 2-core machine the first build takes long (×10 seed about 18 minutes,
×100 replication and closing about 6, each PostgreSQL copy of ×100 about 9); with the datasets
cached (BENCH_OUT=/tmp/... keeps them between checkouts) a whole run takes about 10 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import copy_to_postgresql, replicate

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
PYTHON = sys.executable
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
CUTOFF = "2026-10-31"


def env_for(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "ACUERDOS_ALLOW_DEV_SECRET": "true",
        "HUEY_IMMEDIATE": "true",
        # Closing a benchmark cut-off must not generate and deliver its report PDFs.
        "REPORTS_ON_CUTOFF_CLOSE": "false",
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


def sqlite_path(scale: int) -> Path:
    return OUT / f"acuerdos-s{scale}.sqlite3"


def close(url: str) -> None:
    manage(url, "migrate", "--no-input", "-v", "0")
    manage(url, "close_cutoff", CUTOFF)


def build_sqlite(scale: int, *, rebuild: bool) -> str:
    """The SQLite dataset's DATABASE_URL, built (seeded or replicated, cut-off closed) if it
    does not exist."""
    path = sqlite_path(scale)
    url = f"sqlite:///{path}"
    if path.exists() and not rebuild:
        manage(url, "migrate", "--no-input", "-v", "0")  # a cached file gets new migrations
        return url
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if scale == 100 and not os.environ.get("BENCH_FULL_SEED"):
        source = build_sqlite(10, rebuild=False)
        manage(source, "migrate", "--no-input", "-v", "0")
        replicate(sqlite_path(10), path, 10)
        close(url)
    else:
        manage(url, "migrate", "--no-input", "-v", "0")
        manage(url, "seed_demo", "--scale", str(scale), "--seed", "1")
        close(url)
    print(f"  built sqlite ×{scale} in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def build_postgresql(scale: int, *, rebuild: bool) -> str:
    """The PostgreSQL dataset's DATABASE_URL: a copy of the SQLite one, made if missing."""
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
    if exists:
        manage(url, "migrate", "--no-input", "-v", "0")
        return url
    started = time.perf_counter()
    build_sqlite(scale, rebuild=False)
    manage(url, "migrate", "--no-input", "-v", "0")
    copy_to_postgresql(sqlite_path(scale), url)
    print(f"  built postgresql ×{scale} in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def dataset_url(vendor: str, scale: int, *, rebuild: bool) -> str:
    if vendor == "sqlite":
        return build_sqlite(scale, rebuild=rebuild)
    return build_postgresql(scale, rebuild=rebuild)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "1,10,100"))
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
    header += f"{'load':>11}"
    print(header)
    for vendor, scale, r in rows:
        line = f"{vendor:<11}{scale:>6}{r['commitments']:>12,}{r['reports']:>10,}"
        for key in ("today", "past", "cutoff"):
            ours, floor = r[key], r[f"{key}_floor"]
            line += f"{ours:>9.3f}s /{floor:>6.3f}s {ours / floor:>4.2f}×"
        load = r.get("load") or ["?", "?"]
        line += f"{load[0]:>6}→{load[1]}"
        print(line)
        if r["groups_mismatched"]:
            print(f"  ¡{r['groups_mismatched']} grupos difieren del piso en conteos por estado!")
    (OUT / "results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

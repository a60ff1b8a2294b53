"""Benchmark datasets built fast: a larger SQLite dataset replicated from a seeded one, and a
PostgreSQL copy of a SQLite dataset (the same rows on both databases).

`seed_demo --scale 100` writes its whole history (evidence files, comments, notifications,
audit) and takes hours on the shared 2-core machine; the evaluation reads only agreements,
commitments (with their cached inputs), progress reports, extensions and the input periods kept
from them. So the ×100 dataset is the ×10 seed with those five tables copied `factor − 1` more
times under new ids (folios get a suffix), then its cut-off closed again. Set BENCH_FULL_SEED=1
in bench/run.py to seed it instead.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

# (table, {foreign key column: the replicated table it points to})
REPLICATED: tuple[tuple[str, dict[str, str]], ...] = (
    ("commitments_agreement", {}),
    ("commitments_commitment", {"agreement_id": "commitments_agreement"}),
    ("progress_progressreport", {"commitment_id": "commitments_commitment"}),
    ("commitments_extensionrequest", {"commitment_id": "commitments_commitment"}),
    ("progress_inputperiod", {"commitment_id": "commitments_commitment"}),
)


def replicate(source: Path, target: Path, factor: int) -> None:
    """Copy the SQLite file `source` to `target` with the evaluation's tables `factor` times
    over (copies of the same agreements, commitments, reports and extensions)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src:
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(source, target)
    db = sqlite3.connect(target)
    db.execute("PRAGMA cache_size = -1000000")
    db.execute("PRAGMA synchronous = OFF")
    offsets = {
        table: db.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0] or 0
        for table, _ in REPLICATED
    }
    with db:
        for copy in range(1, factor):
            for table, foreign in REPLICATED:
                columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
                expressions = []
                for column in columns:
                    if column == "id":
                        expressions.append(f"id + {copy * offsets[table]}")
                    elif column in foreign:
                        expressions.append(f"{column} + {copy * offsets[foreign[column]]}")
                    elif table == "commitments_agreement" and column == "folio":
                        expressions.append(f"folio || '-C{copy}'")
                    else:
                        expressions.append(column)
                db.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(expressions)} FROM {table} WHERE id <= {offsets[table]}"
                )
        # The cut-off is closed again over the replicated rows (bench/run.py).
        db.execute("DELETE FROM evaluation_snapshotfigures")
        db.execute("DELETE FROM evaluation_snapshot")
        db.execute(
            "UPDATE evaluation_cutoff SET status = 'open', closed_at = NULL, "
            "closed_by_id = NULL, snapshot_rows = 0"
        )
    db.execute("ANALYZE")
    db.close()


SKIPPED = {"django_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}


def copy_to_postgresql(source: Path, url: str) -> None:
    """Copy every row of the SQLite file `source` into the migrated, empty PostgreSQL database
    at `url` (foreign-key triggers off during the copy; sequences set after it)."""
    import psycopg

    src = sqlite3.connect(source)
    tables = [
        name
        for (name,) in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name not in SKIPPED
    ]
    with psycopg.connect(url) as pg:
        pg.execute("SET session_replication_role = replica")
        pg.execute("SET TIME ZONE 'UTC'")
        existing = {
            name
            for (name,) in pg.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
        tables = [table for table in tables if table in existing]
        pg.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table in tables:
            columns = [row[1] for row in src.execute(f"PRAGMA table_info({table})")]
            types: dict[str, str] = dict(
                pg.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = %s",
                    (table,),
                ).fetchall()
            )
            booleans = [i for i, c in enumerate(columns) if types.get(c) == "boolean"]
            quoted = ", ".join(f'"{c}"' for c in columns)
            with pg.cursor().copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in src.execute(f'SELECT {quoted} FROM "{table}"'):
                    if booleans:
                        values = list(row)
                        for i in booleans:
                            if values[i] is not None:
                                values[i] = bool(values[i])
                        row = tuple(values)
                    copy.write_row(row)
            if "id" in columns:
                pg.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
                )
        pg.execute("SET session_replication_role = DEFAULT")
    src.close()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")

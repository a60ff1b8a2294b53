"""`make bench` (reports): every report of one closed cut-off at --scale 1, against the floor
of WeasyPrint rendering the same HTML alone.

The dataset is bench/run.py's (seed_demo --scale 1 --seed 1, cached under bench/out/); it is
copied to a work directory, its cut-off is closed there (reports of earlier runs removed), and
then, in child processes:

the real path of `reports_generate` (fetch every audience's figures, HTML, PDF, XLSX, store
with SHA-256, deliver by e-mail and inbox) runs split over --processes processes, timing each
report's steps; right after each report, the floor renders the same HTML with WeasyPrint alone
(same stylesheet and fonts), so that both see the same load on a shared machine.

It prints the wall time of all reports (the slowest process's generation time, floors left
out) and, per report, ours ÷ floor, where ours is the PDF document's share of the figure fetch
+ HTML + PDF + storing (the XLSX and the delivery are shown apart). The machine is shared:
run it when it is quiet, and read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CUTOFF = "2026-10-31"
TARGET_TOTAL = 120.0
TARGET_RATIO = 1.5


def env_for(db: Path, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "acuerdos.settings",
        "DEBUG": "false",
        "ACUERDOS_ALLOW_DEV_SECRET": "true",
        "HTTPS": "false",
        "HUEY_IMMEDIATE": "true",
        "MEDIA_ROOT": str(work / "media"),
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def dataset(scale: int) -> Path:
    """bench/run.py's SQLite dataset of that scale (built by it if missing)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import run  # bench/run.py: seed_demo + close_cutoff, cached

    url = run.dataset_url("sqlite", scale, rebuild=False)
    return Path(url.removeprefix("sqlite:///"))


def child(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--step", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def parallel(env: dict[str, str], processes: int, *args: str) -> tuple[list[dict[str, Any]], float]:
    started = time.perf_counter()
    running = [
        subprocess.Popen(
            [PYTHON, str(Path(__file__).resolve()), "--step", *args, f"{i}/{processes}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    results = []
    for proc in running:
        out, err = proc.communicate()
        if proc.returncode:
            sys.stderr.write(err)
            raise SystemExit(f"step {args} failed")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--step", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.step:
        step(args.step)
        return
    source = dataset(args.scale)
    work = Path(tempfile.mkdtemp(prefix="acuerdos-bench-reports-"))
    try:
        db = work / "bench.sqlite3"
        shutil.copyfile(source, db)
        env = env_for(db, work)
        prepared = child(env, "prepare")
        print(
            f"Informes del corte {CUTOFF}, escala {args.scale}: {prepared['commitments']:,} "
            f"compromisos, {prepared['audiences']} destinatarios, {args.processes} procesos",
            flush=True,
        )
        generated, elapsed = parallel(env, args.processes, "generate")
        report(generated, elapsed)
    finally:
        if args.keep:
            print(f"Archivos en {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def report(generated: list[dict[str, Any]], elapsed: float) -> None:
    rows = {r["id"]: r for g in generated for r in g["reports"]}
    print()
    head = f"{'destinatario':<30}{'págs':>5}{'ours':>9}{'piso':>9}{'ratio':>8}"
    print(f"{head}{'xlsx':>8}{'entrega':>9}")
    ratios = []
    for key in sorted(rows, key=lambda k: -rows[k]["pdf_total"]):
        r = rows[key]
        ratio = r["pdf_total"] / r["floor"]
        ratios.append(ratio)
        print(
            f"{r['label'][:29]:<30}{r['pages']:>5}{r['pdf_total']:>8.2f}s{r['floor']:>8.2f}s"
            f"{ratio:>7.2f}×{r['xlsx']:>7.2f}s{r['deliver']:>8.2f}s"
        )
    wall = max(g["generation"] for g in generated)
    fetch = sum(g["fetch"] for g in generated)
    ours = sum(r["pdf_total"] for r in rows.values())
    floor = sum(r["floor"] for r in rows.values())
    print()
    print(
        f"Todos los informes: {len(rows)} PDF + {len(rows)} XLSX, entregados, en {wall:.1f} s "
        f"(el proceso más lento; objetivo ≤ {TARGET_TOTAL:.0f} s: "
        f"{'sí' if wall <= TARGET_TOTAL else 'NO'}); cifras de todos los destinatarios "
        f"{fetch:.1f} s; la corrida completa con los pisos tomó {elapsed:.1f} s."
    )
    print(
        f"PDF: nuestro {ours:.1f} s contra piso {floor:.1f} s (WeasyPrint solo, mismo HTML) = "
        f"{ours / floor:.2f}×; por informe: mediana {statistics.median(ratios):.2f}×, "
        f"p90 {statistics.quantiles(ratios, n=10)[-1]:.2f}×, máxima {max(ratios):.2f}× "
        f"(objetivo ≤ {TARGET_RATIO}×)."
    )
    load = os.getloadavg()[0]
    print(f"Carga de la máquina al terminar: {load:.1f} (2 núcleos compartidos: cifras ruidosas).")


# --- Child steps ------------------------------------------------------------------------------


def setup_django() -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.REPORTS_ON_CUTOFF_CLOSE = False  # the bench generates them itself, timed


def emit(value: dict[str, Any]) -> None:
    print(json.dumps(value), flush=True)


def step(argv: list[str]) -> None:
    setup_django()
    name, *rest = argv
    if name == "prepare":
        emit(step_prepare())
    elif name == "generate":
        emit(step_generate(rest[0]))
    else:
        raise SystemExit(f"unknown step {name}")


def _cutoff() -> Any:
    import datetime as dt

    from acuerdos.evaluation.services import cutoff_close

    cutoff, _ = cutoff_close(date=dt.date.fromisoformat(CUTOFF), source="command")
    return cutoff


def step_prepare() -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", "--no-input", "-v", "0")
    from acuerdos.evaluation.models import Snapshot
    from acuerdos.reporting.models import Report, ReportDelivery
    from acuerdos.reporting.selectors import audiences

    cutoff = _cutoff()
    ReportDelivery.objects.all().delete()
    Report.objects.all().delete()
    return {
        "commitments": Snapshot.objects.filter(cutoff=cutoff).count(),
        "audiences": len(audiences(cutoff)),
    }


def _share(part: str) -> list[tuple[str, int | None]]:
    from acuerdos.reporting.selectors import audiences

    index, count = (int(x) for x in part.split("/"))
    refs = audiences(_cutoff())
    # Round-robin over the audiences sorted by size, so both halves get big and small ones.
    return [(r.kind, r.key) for i, r in enumerate(refs) if i % count == index]


def _pages(pdf: bytes) -> int:
    """Pages of a PDF, by poppler's pdfinfo (0 when it is not installed)."""
    if shutil.which("pdfinfo") is None:
        return 0
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    found = [line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")]
    return int(found[0]) if found else 0


def step_generate(part: str) -> dict[str, Any]:
    """The body of `reports_generate`, step by step, timed."""
    from weasyprint import HTML

    from acuerdos.reporting import documents
    from acuerdos.reporting.models import ReportFormat
    from acuerdos.reporting.selectors import cutoff_contents
    from acuerdos.reporting.services import report_deliver, report_store

    cutoff = _cutoff()
    wanted = _share(part)
    fonts, css = documents._weasy()  # once per process, as in a worker
    base = str(ROOT)
    started = time.perf_counter()
    contents = cutoff_contents(cutoff, only=wanted)
    fetch = time.perf_counter() - started
    per_fetch = fetch / max(1, len(contents))
    warm_up = time.perf_counter()
    if contents:  # templates, fonts and WeasyPrint's caches, as in a running worker
        documents.render_pdf(documents.render_html(contents[-1]))
    reports = []
    floors = time.perf_counter() - warm_up  # left out of the generation time, like the floors
    for content in contents:
        t0 = time.perf_counter()
        html = documents.render_html(content)
        t1 = time.perf_counter()
        pdf = documents.render_pdf(html)
        t2 = time.perf_counter()
        pdf_report, _ = report_store(content=content, fmt=ReportFormat.PDF, data=pdf)
        t3 = time.perf_counter()
        xlsx_report, _ = report_store(
            content=content, fmt=ReportFormat.XLSX, data=documents.render_xlsx(content)
        )
        t4 = time.perf_counter()
        report_deliver(pdf=pdf_report, xlsx=xlsx_report)
        t5 = time.perf_counter()
        HTML(string=html, base_url=base).write_pdf(stylesheets=[css], font_config=fonts)
        t6 = time.perf_counter()
        pages = _pages(pdf)
        floor = t6 - t5
        floors += time.perf_counter() - t5  # floor and page count: not part of generation
        ref = content.audience
        reports.append(
            {
                "id": f"{ref.kind}:{ref.key}",
                "label": f"{ref.kind} {ref.code}",
                "pages": pages,
                "html": t1 - t0,
                "pdf": t2 - t1,
                "pdf_total": per_fetch + (t1 - t0) + (t2 - t1) + (t3 - t2),
                "xlsx": t4 - t3,
                "deliver": t5 - t4,
                "floor": floor,
            }
        )
    generation = time.perf_counter() - started - floors
    return {"fetch": fetch, "generation": generation, "reports": reports}


if __name__ == "__main__":
    main()

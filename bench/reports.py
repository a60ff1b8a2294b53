"""`make bench` (reports): every report of one closed cut-off at --scale 1, against the floor
of WeasyPrint rendering the same HTML alone.

The dataset is bench/run.py's (seed_demo --scale 1 --seed 1, cached under $BENCH_OUT or
bench/out/); it is copied to a work directory, its cut-off is closed there (reports of earlier
runs removed), and then, in --processes child processes, each with its share of the audiences
and of the regions:

1. The real path, once per report (that is the total): fetch every audience's figures at once,
   then per audience HTML, PDF, XLSX, store with SHA-256, deliver by e-mail and inbox; then
   each region's follow-up meeting pack (content, HTML, PDF, XLSX, store, deliver).
2. Per report, ours against the floor, interleaved on the same HTML so that both see the same
   load on a shared machine: the real generation gives ours' first sample, then floor, floor,
   ours (A B B A) for --repeats 2, one more A B B A pair per extra repeat. Ours is the PDF's
   share of the figure fetch + HTML + PDF + storing (the pack's: its content + HTML + PDF);
   the floor is WeasyPrint rendering that very HTML with the same stylesheet and fonts. Each
   later sample starts from an emptied garbage collector (see `_timed`). Each side's minimum
   is compared, in CPU time (time.process_time: the process's own work, far
   less sensitive to the other processes on the machine) and in wall time.

Every report is in the statistics. It prints the load average at the start and at the end:
read the CPU ratios first on a busy machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
    parser.add_argument("--repeats", type=int, default=2, help="samples of ours and the floor")
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
        load = os.getloadavg()
        print(
            f"Informes del corte {CUTOFF}, escala {args.scale}: {prepared['commitments']:,} "
            f"compromisos, {prepared['audiences']} destinatarios y {prepared['regions']} paquetes "
            f"regionales, {args.processes} procesos, {args.repeats} muestras por lado; "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, carga al iniciar "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}",
            flush=True,
        )
        generated, elapsed = parallel(env, args.processes, "generate", str(args.repeats))
        report(generated, elapsed)
    finally:
        if args.keep:
            print(f"Archivos en {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _stats(ratios: list[float]) -> str:
    over = sum(1 for r in ratios if r > TARGET_RATIO)
    return (
        f"mediana {statistics.median(ratios):.2f}×, "
        f"p90 {statistics.quantiles(ratios, n=10)[-1]:.2f}×, "
        f"máxima {max(ratios):.2f}×, {over} de {len(ratios)} sobre {TARGET_RATIO}×"
    )


def report(generated: list[dict[str, Any]], elapsed: float) -> None:
    rows = {r["id"]: r for g in generated for r in g["reports"]}
    print()
    head = f"{'destinatario':<28}{'págs':>5}{'ours cpu':>10}{'piso cpu':>10}{'ratio':>7}"
    print(f"{head}{'ours':>9}{'piso':>9}{'ratio':>7}{'xlsx':>7}{'entrega':>8}")
    cpu_ratios, wall_ratios = [], []
    for key in sorted(rows, key=lambda k: -rows[k]["floor_cpu"]):
        r = rows[key]
        cpu_ratio = r["ours_cpu"] / r["floor_cpu"]
        wall_ratio = r["ours"] / r["floor"]
        cpu_ratios.append(cpu_ratio)
        wall_ratios.append(wall_ratio)
        print(
            f"{r['label'][:27]:<28}{r['pages']:>5}{r['ours_cpu']:>9.2f}s{r['floor_cpu']:>9.2f}s"
            f"{cpu_ratio:>6.2f}×{r['ours']:>8.2f}s{r['floor']:>8.2f}s{wall_ratio:>6.2f}×"
            f"{r['xlsx']:>6.2f}s{r['deliver']:>7.2f}s"
        )
    wall = max(g["generation"] for g in generated)
    cpu = sum(g["generation_cpu"] for g in generated)
    audiences_wall = max(g["reports_generation"] for g in generated)
    audiences_cpu = sum(g["reports_generation_cpu"] for g in generated)
    fetch = max(g["fetch"] for g in generated)
    fetch_cpu = sum(g["fetch_cpu"] for g in generated)
    packs = sum(1 for r in rows.values() if r["id"].startswith("pack:"))
    print()
    print(
        f"Informes de los {len(rows) - packs} destinatarios (PDF + XLSX, guardados y "
        f"entregados): {audiences_wall:.1f} s (el proceso más lento; objetivo ≤ "
        f"{TARGET_TOTAL:.0f} s: {'sí' if audiences_wall <= TARGET_TOTAL else 'NO'}), "
        f"{audiences_cpu:.1f} s de CPU."
    )
    print(
        f"Con los {packs} paquetes regionales: {len(rows) - packs} PDF + XLSX y {packs} "
        f"paquetes PDF + XLSX, guardados y entregados, en {wall:.1f} s (el proceso más lento, "
        f"una vez cada informe); "
        f"CPU de la generación {cpu:.1f} s en total; cifras de todos los destinatarios "
        f"{fetch:.2f} s ({fetch_cpu:.2f} s CPU); la corrida completa con las muestras tomó "
        f"{elapsed:.0f} s."
    )
    for name, key_ours, key_floor, ratios in (
        ("CPU", "ours_cpu", "floor_cpu", cpu_ratios),
        ("reloj", "ours", "floor", wall_ratios),
    ):
        ours = sum(r[key_ours] for r in rows.values())
        floor = sum(r[key_floor] for r in rows.values())
        print(
            f"PDF en tiempo de {name} (mínimo de las muestras): nuestro {ours:.1f} s contra piso "
            f"{floor:.1f} s (WeasyPrint solo, mismo HTML) = {ours / floor:.2f}×; por informe: "
            f"{_stats(ratios)}."
        )
    load = os.getloadavg()
    print(
        f"Carga al terminar: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (2 núcleos "
        f"compartidos), {time.strftime('%H:%M UTC', time.gmtime())}."
    )


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
        emit(step_generate(int(rest[0]), rest[1]))
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
    from acuerdos.reporting.packs import cutoff_regions
    from acuerdos.reporting.selectors import audiences

    cutoff = _cutoff()
    ReportDelivery.objects.all().delete()
    Report.objects.all().delete()
    return {
        "commitments": Snapshot.objects.filter(cutoff=cutoff).count(),
        "audiences": len(audiences(cutoff)),
        "regions": len(cutoff_regions(cutoff)),
    }


def _share(part: str) -> tuple[list[tuple[str, int | None]], list[int]]:
    """This process's audiences and regions (for the packs), round-robin."""
    from acuerdos.reporting.packs import cutoff_regions
    from acuerdos.reporting.selectors import audiences

    index, count = (int(x) for x in part.split("/"))
    cutoff = _cutoff()
    refs = audiences(cutoff)
    regions = cutoff_regions(cutoff)
    # Round-robin so that every process gets big and small ones.
    return (
        [(r.kind, r.key) for i, r in enumerate(refs) if i % count == index],
        [r.pk for i, r in enumerate(regions) if (i + len(refs)) % count == index],
    )


class Clock:
    """Wall and CPU time of what runs between two reads."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lapped = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lapped


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    """One sample, started from an emptied garbage collector (outside the timing), so that
    neither side pays for the other's garbage: within one process the same render costs up
    to 1.5× more when a full collection of the large heap (every audience's content) falls
    inside it."""
    gc.collect()
    clock = Clock()
    run()
    return clock.lap()


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


def step_generate(repeats: int, part: str) -> dict[str, Any]:
    """The body of `reports_generate` and of `cutoff_packs_generate`, step by step, timed; then
    ours and the floor sampled in turn for each report."""
    from weasyprint import HTML

    from acuerdos.organization.models import Region
    from acuerdos.reporting import documents, packs
    from acuerdos.reporting.models import ReportFormat
    from acuerdos.reporting.selectors import cutoff_contents
    from acuerdos.reporting.services import report_deliver, report_store

    cutoff = _cutoff()
    wanted, regions = _share(part)
    fonts, css = documents._weasy()  # once per process, as in a worker
    base = str(ROOT)
    warm = cutoff_contents(cutoff, only=wanted[-1:]) if wanted else []
    if warm:  # templates, fonts and WeasyPrint's caches, as in a running worker
        documents.render_pdf(documents.render_html(warm[-1]))

    def plus(*laps: tuple[float, float]) -> tuple[float, float]:
        return (sum(w for w, _ in laps), sum(c for _, c in laps))

    # 1. The real path, once per report: this is the total.
    whole = Clock()
    clock = Clock()
    contents = cutoff_contents(cutoff, only=wanted)
    fetch, fetch_cpu = clock.lap()
    share = (fetch / max(1, len(contents)), fetch_cpu / max(1, len(contents)))
    made: list[dict[str, Any]] = []
    for content in contents:
        html = documents.render_html(content)
        html_t = clock.lap()
        pdf = documents.render_pdf(html)
        pdf_t = clock.lap()
        pdf_report, _ = report_store(content=content, fmt=ReportFormat.PDF, data=pdf)
        store_t = clock.lap()
        xlsx_report, _ = report_store(
            content=content, fmt=ReportFormat.XLSX, data=documents.render_xlsx(content)
        )
        xlsx_t = clock.lap()
        report_deliver(pdf=pdf_report, xlsx=xlsx_report)
        deliver_t = clock.lap()
        ref = content.audience
        made.append(
            {
                "id": f"{ref.kind}:{ref.key}",
                "label": f"{ref.kind} {ref.code}",
                "content": content,
                "html": html,
                "pdf": pdf,
                "first": plus(share, html_t, pdf_t, store_t),
                "fixed": plus(share, store_t),  # added to the later samples of ours
                "xlsx": xlsx_t[0],
                "deliver": deliver_t[0],
            }
        )
    reports_generation, reports_generation_cpu = whole.lap()  # the audiences' reports
    for region in Region.objects.filter(pk__in=regions).order_by("code"):
        ((pdf_pack, _xlsx),) = packs.cutoff_packs_generate(
            cutoff=cutoff, regions=[region.pk], deliver=False
        )
        drawn = clock.lap()  # content, HTML, PDF, XLSX, storing
        report_deliver(pdf=pdf_pack, xlsx=_xlsx)
        deliver_t = clock.lap()
        with pdf_pack.file.open("rb") as handle:
            pdf = handle.read()
        made.append(
            {
                "id": f"pack:{region.pk}",
                "label": f"paquete {region.code}",
                "region": region,
                "html": packs.pack_html(packs.pack_content(region, cutoff=cutoff)),
                "pdf": pdf,
                "first": None,
                "fixed": (0.0, 0.0),
                "xlsx": drawn[0],
                "deliver": deliver_t[0],
            }
        )
        clock.lap()  # the HTML for the floor is not part of the generation
    packs_generation, packs_generation_cpu = whole.lap()
    generation = reports_generation + packs_generation
    generation_cpu = reports_generation_cpu + packs_generation_cpu

    # 2. Ours against the floor, interleaved, on the same HTML.
    reports = []
    for item in made:
        fixed = item["fixed"]
        if "content" in item:

            def again(content: Any = item["content"]) -> None:
                documents.render_pdf(documents.render_html(content))

        else:

            def again(content: Any = item["region"]) -> None:
                region_pack = packs.pack_content(content, cutoff=cutoff)
                documents.render_pdf(packs.pack_html(region_pack))

        def floor(html: str = item["html"]) -> None:
            HTML(string=html, base_url=base).write_pdf(stylesheets=[css], font_config=fonts)

        first = item["first"]
        mine, floors = [first] if first is not None else [], []
        order = ("ABBA" * repeats)[: 2 * repeats]
        for side in order[1:] if first is not None else order:
            if side == "A":
                mine.append(plus(_timed(again), fixed))  # fetch share, storing: once
            else:
                floors.append(_timed(floor))
        reports.append(
            {
                "id": item["id"],
                "label": item["label"],
                "pages": _pages(item["pdf"]),
                "ours": min(w for w, _ in mine),
                "ours_cpu": min(c for _, c in mine),
                "floor": min(w for w, _ in floors),
                "floor_cpu": min(c for _, c in floors),
                "xlsx": item["xlsx"],
                "deliver": item["deliver"],
            }
        )
    return {
        "fetch": fetch,
        "fetch_cpu": fetch_cpu,
        "generation": generation,
        "generation_cpu": generation_cpu,
        "reports_generation": reports_generation,
        "reports_generation_cpu": reports_generation_cpu,
        "reports": reports,
    }


if __name__ == "__main__":
    main()

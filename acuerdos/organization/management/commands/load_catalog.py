from typing import Any

from django.core.management.base import BaseCommand

from acuerdos.organization.services import catalog_load


class Command(BaseCommand):
    help = "Carga o actualiza el catálogo de referencia (regiones, unidades, alias y temas)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = catalog_load()
        for bucket, label in (("created", "creados"), ("updated", "actualizados")):
            counts = getattr(result, bucket)
            if counts:
                detail = ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items()))
                self.stdout.write(f"{label.capitalize()}: {detail}")
        if not result.changed:
            self.stdout.write("El catálogo ya estaba al día; no se cambió nada.")
        self.stdout.write(self.style.SUCCESS("Catálogo cargado."))

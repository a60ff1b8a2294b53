from typing import Any

from django.core.management.base import BaseCommand

from acuerdos.demo.logins import logins_table


class Command(BaseCommand):
    help = "Muestra los accesos de los usuarios de demostración (correo, contraseña, rol, unidad)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(logins_table())

"""The demo users: one or more per role, with the password printed by `demo_logins`.

The table is a constant so that `demo_logins` can print it without reading the database (the
database only holds password hashes). Every demo user shares one password.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from acuerdos.organization.models import Role

DEMO_PASSWORD = "Acuerdos-2026!"  # noqa: S105 - published on purpose: demo data only


@dataclass(frozen=True)
class DemoLogin:
    """A demo user: work e-mail, full name, role and the code of the unit where it is held."""

    email: str
    full_name: str
    role: str
    unit_code: str

    @property
    def password(self) -> str:
        return DEMO_PASSWORD


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "coordinacion@demo.imss.gob.mx", "María Fernanda Ortiz Salgado", Role.COORDINATOR, "DOE"
    ),
    DemoLogin("consulta.oic@demo.imss.gob.mx", "Héctor Manuel Ríos Villalobos", Role.VIEWER, "OIC"),
    DemoLogin("consulta.dg@demo.imss.gob.mx", "Rosa María Delgado Fuentes", Role.VIEWER, "DG"),
    DemoLogin("validacion.dpm@demo.imss.gob.mx", "Alejandra Cervantes Luna", Role.VALIDATOR, "DPM"),
    DemoLogin(
        "validacion.cumae@demo.imss.gob.mx",
        "Jorge Arturo Medina Treviño",
        Role.VALIDATOR,
        "DPM-CUMAE",
    ),
    DemoLogin("validacion.da@demo.imss.gob.mx", "Ricardo Esquivel Mondragón", Role.VALIDATOR, "DA"),
    DemoLogin(
        "validacion.dpes@demo.imss.gob.mx", "Gabriela Zúñiga Paredes", Role.VALIDATOR, "DPES"
    ),
    DemoLogin(
        "validacion.didt@demo.imss.gob.mx", "Luis Enrique Castañeda Ibarra", Role.VALIDATOR, "DIDT"
    ),
    DemoLogin("validacion.df@demo.imss.gob.mx", "Patricia Elena Rangel Soto", Role.VALIDATOR, "DF"),
    DemoLogin(
        "titular.queretaro@demo.imss.gob.mx", "Roberto Carlos Aguilar Nava", Role.HEAD, "OOAD-QRO"
    ),
    DemoLogin(
        "enlace.queretaro@demo.imss.gob.mx", "Diana Laura Méndez Herrera", Role.LIAISON, "OOAD-QRO"
    ),
    DemoLogin(
        "titular.jalisco@demo.imss.gob.mx", "Sergio Iván Villaseñor Godínez", Role.HEAD, "OOAD-JAL"
    ),
    DemoLogin(
        "enlace.jalisco@demo.imss.gob.mx",
        "Karla Yesenia Orozco Ruvalcaba",
        Role.LIAISON,
        "OOAD-JAL",
    ),
    DemoLogin(
        "titular.cardiologia@demo.imss.gob.mx",
        "Eduardo Bermúdez Campos",
        Role.HEAD,
        "UMAE-CMNSXXI-CARD",
    ),
    DemoLogin(
        "enlace.cardiologia@demo.imss.gob.mx",
        "Mónica Alejandra Pineda Rosales",
        Role.LIAISON,
        "UMAE-CMNSXXI-CARD",
    ),
    DemoLogin(
        "enlace.michoacan@demo.imss.gob.mx", "Juan Pablo Tinoco Guzmán", Role.LIAISON, "OOAD-MICH"
    ),
    DemoLogin(
        "enlace.hidalgo@demo.imss.gob.mx", "Claudia Ivonne Licona Islas", Role.LIAISON, "OOAD-HGO"
    ),
    DemoLogin(
        "enlace.sonora@demo.imss.gob.mx",
        "Francisco Javier Valenzuela Encinas",
        Role.LIAISON,
        "OOAD-SON",
    ),
    DemoLogin("enlace.nuevoleon@demo.imss.gob.mx", "Adriana Garza Cantú", Role.LIAISON, "OOAD-NL"),
    DemoLogin("enlace.yucatan@demo.imss.gob.mx", "Wilberth Canul Pech", Role.LIAISON, "OOAD-YUC"),
)


def logins_table() -> str:
    """The demo logins as a plain-text table for the terminal (from the constant, not the DB)."""
    rows = [("Correo", "Contraseña", "Rol", "Unidad")]
    rows += [
        (login.email, login.password, str(Role(login.role).label), login.unit_code)
        for login in DEMO_LOGINS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["Accesos de demostración:"]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    if not settings.TWO_FACTOR_REQUIRED_FOR_COORDINATORS:
        lines += [
            "",
            "Segundo factor (TOTP): opcional en esta demostración (Mi cuenta → Segundo factor).",
            "En producción es obligatorio para la coordinación",
            "(variable TWO_FACTOR_REQUIRED_FOR_COORDINATORS).",
        ]
    return "\n".join(line.rstrip() for line in lines)

"""The enlaces who write the demo history: one per OOAD and UMAE with commitments.

The demo logins (`logins.py`) cover a handful of units; every other responsible unit gets one
generic enlace so that its reports have a plausible author. They cannot log in (unusable
password): they exist so that the history reads like the real one, not to be used. Pure data:
names come from the unit's code, so the same unit always has the same enlace.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from acuerdos.demo.logins import DEMO_LOGINS
from acuerdos.organization.models import Role

DOMAIN = "demo.imss.gob.mx"

FIRST_NAMES = (
    "Adriana", "Alberto", "Alejandro", "Ana Laura", "Andrés", "Araceli", "Arturo", "Beatriz",
    "Blanca Estela", "Carlos Alberto", "Carmen", "Cecilia", "César", "Daniel", "Elena", "Enrique",
    "Erika", "Fernando", "Gabriel", "Guadalupe", "Gustavo", "Irma", "Iván", "Javier", "Jesús",
    "Jorge Luis", "José Antonio", "Juana", "Laura Patricia", "Leticia", "Lorena", "Luis Miguel",
    "Manuel", "Marcela", "María Elena", "María José", "Mario", "Martha", "Miguel Ángel",
    "Nancy", "Norma", "Óscar", "Pablo", "Paola", "Rafael", "Raúl", "Rocío", "Rubén",
    "Sandra", "Silvia", "Sofía", "Teresa", "Verónica", "Víctor Hugo", "Yolanda",
)  # fmt: skip
SURNAMES = (
    "Aguilar", "Álvarez", "Arellano", "Ávila", "Barrera", "Bautista", "Cabrera", "Camacho",
    "Campos", "Cárdenas", "Carrillo", "Castillo", "Castro", "Cervantes", "Chávez", "Contreras",
    "Cortés", "Cruz", "Delgado", "Domínguez", "Escobar", "Espinoza", "Estrada", "Figueroa",
    "Flores", "Fuentes", "Gallegos", "García", "Gómez", "González", "Guerrero", "Gutiérrez",
    "Hernández", "Herrera", "Ibarra", "Jiménez", "Juárez", "Lara", "León", "López", "Lozano",
    "Luna", "Macías", "Maldonado", "Márquez", "Martínez", "Medina", "Mejía", "Mendoza",
    "Miranda", "Molina", "Morales", "Moreno", "Navarro", "Núñez", "Ochoa", "Orozco", "Ortega",
    "Ortiz", "Pacheco", "Padilla", "Peña", "Pérez", "Ramírez", "Ramos", "Reyes", "Ríos",
    "Rivera", "Robles", "Rodríguez", "Rojas", "Romero", "Rosales", "Ruiz", "Salazar",
    "Salinas", "Sánchez", "Sandoval", "Santiago", "Serrano", "Solís", "Soto", "Suárez",
    "Torres", "Trejo", "Valdez", "Vargas", "Vázquez", "Vega", "Velázquez", "Villanueva",
    "Zamora", "Zavala",
)  # fmt: skip


@dataclass(frozen=True)
class GenericLiaison:
    """A generic enlace of one unit (no password)."""

    unit_code: str
    email: str
    full_name: str


def liaison_logins() -> dict[str, str]:
    """Unit code → e-mail of the demo login that is enlace there (they need no generic one)."""
    return {login.unit_code: login.email for login in DEMO_LOGINS if login.role == Role.LIAISON}


def generic_liaison(unit_code: str) -> GenericLiaison:
    """The generic enlace of a unit: `enlace.ooad-ags@demo.imss.gob.mx`, a Mexican name."""
    rng = random.Random(f"enlace/{unit_code}")
    first = rng.choice(FIRST_NAMES)
    paternal, maternal = rng.sample(SURNAMES, 2)
    return GenericLiaison(
        unit_code=unit_code,
        email=f"enlace.{unit_code.lower()}@{DOMAIN}",
        full_name=f"{first} {paternal} {maternal}",
    )

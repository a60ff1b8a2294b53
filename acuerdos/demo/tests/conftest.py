"""The demo data is seeded once for the whole package (scale 1, seed 1, as of 22 November 2026)
inside a transaction that is rolled back at the end, with the evidence files in a temporary
MEDIA_ROOT; every test runs in a savepoint on top of it."""

from acuerdos.demo.tests.seeding import seeded

__all__ = ["seeded"]

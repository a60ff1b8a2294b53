"""Exports of the filtered lists to XLSX and CSV (PRODUCT.md §4.8, issue 6).

A presentation layer at the top of the dependency chain, like the pages themselves: it reads the
lists through the same filter forms and selectors as the screens (`visible_to(user)` first), the
commitment statuses through the evaluation (`acuerdos.evaluation`), and writes through
`acuerdos.core.exports` (streamed CSV with BOM, XLSX in constant memory with semáforo fills,
formula neutralisation). Every download is audited as `export.downloaded`.

Not a Django app: no models, no migrations; its URLs are included from `acuerdos/urls.py`.
"""

"""Excel both ways: the regional workbook (``progress --xlsx``) and ``woonplan import``.

The Plans sheet's layout lives in :mod:`woonplan.excel.columns` (no openpyxl there); the
modules that need openpyxl (:mod:`~woonplan.excel.export`, :mod:`~woonplan.excel.importer`)
are imported only by the commands that use them. The layout is documented in docs/excel.md.
"""

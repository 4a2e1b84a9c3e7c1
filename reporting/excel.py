"""The report as a prefilled Excel template, and a filled-in template back into the report.

The workbook has a header sheet ("Rapport", with the report's ID in B9 and as a workbook
property), one sheet per part ("Kompetanse", "BPA", "Prosjekter") whose rows are the lines
of the decision, fixed and identified by their ID in column A, and a "Regnskap" sheet.
Input cells are yellow and unlocked; numbers have data validation. An upload is read
whole; every problem is reported by sheet and cell, and only a file without problems is
saved, by one call to services.report_update, so nothing is stored from a broken file.
"""

from __future__ import annotations

from .excel_export import export_filename, export_report
from .excel_import import ImportResult, expected_sheets, import_report

__all__ = ["ImportResult", "expected_sheets", "export_filename", "export_report",
           "import_report"]

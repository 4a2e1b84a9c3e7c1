"""The application as an Excel workbook (excel_export.py), and a filled-in workbook back
into the draft (excel_import.py), both laid out as excel_layout.py says. Import the
functions from here."""

from .excel_export import export_application, export_filename
from .excel_import import ImportResult, ensure_importable, import_application
from .excel_layout import APPLICATION_PROPERTY

__all__ = [
    "APPLICATION_PROPERTY", "ImportResult", "ensure_importable", "export_application",
    "export_filename", "import_application",
]

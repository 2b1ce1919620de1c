"""Exports for the operations team: Excel workbooks, CSV and Parquet, personal data masked.

See :func:`export_tables`; ``reef export`` and ``GET /api/v1/export`` call it.
"""
from reef.export.tables import SHEETS, Sheet, export_file_name, export_tables, register_sheet

__all__ = ["SHEETS", "Sheet", "export_file_name", "export_tables", "register_sheet"]

"""Low-level reading of postings exports: files in, cells as Python values out.

Everything above (header detection, column mapping, German numbers and dates) works on
RawSheet, whatever the file format was.
"""

from imports.readers.model import FileRefused, RawSheet, ReadLimits
from imports.readers.tables import SUPPORTED, read_tables, row_chunks

__all__ = ["SUPPORTED", "FileRefused", "RawSheet", "ReadLimits", "read_tables", "row_chunks"]

"""The project store (all SQL of Annotator lives in this package)."""
from annotator.core.store.changes import Change, RowChange
from annotator.core.store.importer import ImportReport, text_sha256
from annotator.core.store.store import Store

__all__ = ["Change", "ImportReport", "RowChange", "Store", "text_sha256"]

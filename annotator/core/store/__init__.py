"""The project store (all SQL of Annotator lives in this package)."""
from annotator.core.store.changes import Change, Delta, ItemChange, LabelsChange
from annotator.core.store.importer import ImportReport, text_sha256
from annotator.core.store.store import Store

__all__ = ["Change", "Delta", "ImportReport", "ItemChange", "LabelsChange", "Store", "text_sha256"]

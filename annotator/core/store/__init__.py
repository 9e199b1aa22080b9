"""The project store (all SQL of Annotator lives in this package)."""
from annotator.core.store._sqlite_utils import load as _load_sqlite_utils

_load_sqlite_utils()

from annotator.core.store.changes import Change, Delta, ItemChange, LabelsChange  # noqa: E402
from annotator.core.store.importer import ImportReport, text_sha256  # noqa: E402
from annotator.core.store.store import Store  # noqa: E402

__all__ = ["Change", "Delta", "ImportReport", "ItemChange", "LabelsChange", "Store", "text_sha256"]

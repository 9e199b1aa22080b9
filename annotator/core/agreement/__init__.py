"""Agreement between annotators (issue 11): pairwise span F1 (exact and overlap, maximum
one-to-one matching), attribution F1, token-wise Krippendorff's alpha and Cohen's kappa, and
scores against a gold layer. Pure functions over plain data (:mod:`.data`); no store, no Qt.
Why these measures: ``docs/agreement.md``."""
from annotator.core.agreement.compute import agreement, single_annotator_documents
from annotator.core.agreement.data import LAYERS, Annotation, Attribution, DocumentAnnotations
from annotator.core.agreement.gold import hardest_documents, score_against_gold

__all__ = ["LAYERS", "Annotation", "Attribution", "DocumentAnnotations", "agreement", "hardest_documents",
           "score_against_gold", "single_annotator_documents"]

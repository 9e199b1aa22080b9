"""The panels' requests: what the user does in the Speakers, Claims, Sentiment and Documents
panels becomes a Controller action or an annotating operation on the undo stack (through
the controller's ``run``), as the keys of the article do."""
from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core import operations as ops

if TYPE_CHECKING:
    from annotator.ui.controller import Controller
    from annotator.ui.panels.claims import ClaimsPanel
    from annotator.ui.panels.documents import DocumentsPanel
    from annotator.ui.panels.sentiment import SentimentPanel
    from annotator.ui.panels.speakers import SpeakersPanel


class PanelRequests:
    """Connects the panels' request signals to a :class:`~annotator.ui.controller.Controller`'s
    actions and to operations (made by the window, which assembles the parts): the Speakers panel's New / rename / retype / merge /
    delete, the Claims panel's cell edits, the Sentiment panel's fields, the Documents
    panel's ``open_requested``; a mention or a claim clicked in a panel becomes current.

    No signals of its own."""

    def __init__(self, controller: Controller, speakers: SpeakersPanel, claims: ClaimsPanel,
                 sentiment: SentimentPanel, documents: DocumentsPanel):
        self.ctl = ctl = controller
        speakers.mentions_of = ctl.mentions_of
        speakers.new_requested.connect(ctl.new_speaker)
        speakers.rename_requested.connect(lambda eid, name: ctl.run(ops.rename_entity, eid, name))
        speakers.retype_requested.connect(lambda eid, kind: ctl.run(ops.set_entity_type, eid, kind))
        speakers.merge_requested.connect(lambda keep, gone: ctl.run(ops.merge_entities, keep, gone))
        speakers.delete_requested.connect(lambda eid: ctl.run(ops.delete_entity, eid))
        speakers.mention_activated.connect(ctl.set_current)
        claims.claim_activated.connect(ctl.set_current)
        claims.edit_requested.connect(self._claim_cell_edited)
        sentiment.claim_edit_requested.connect(self._sentiment_edited)
        sentiment.document_edit_requested.connect(self._document_edited)
        sentiment.target.returnPressed.connect(ctl.view.setFocus)
        for clicked in (claims.view.clicked, speakers.mentions.itemClicked):
            clicked.connect(lambda *_: ctl.view.setFocus())  # so the single keys act on it
        documents.open_requested.connect(ctl.open_document)
        ctl.target_edit_requested.connect(sentiment.focus_target)

    def _claim_cell_edited(self, claim_id: int, field: str, value) -> None:
        if field == "speaker":
            self.ctl.run(ops.attribute_claim, claim_id, value)
        else:
            self.ctl.run(ops.set_claim_attribute, claim_id, field, value)

    def _sentiment_edited(self, name: str, value) -> None:
        claim = self.ctl.current_claim()
        if claim is not None:
            self.ctl.run(ops.set_claim_attribute, claim.id, name, value)

    def _document_edited(self, field: str, value) -> None:
        doc = self.ctl.doc
        if doc is not None:
            operation = ops.set_document_status if field == "status" else ops.set_document_polarity
            self.ctl.run(operation, doc.id, value)

"""View > Layer (issue 11): the text view shows one annotator's layer, the gold layer, or
every layer at once (the default). The choice only filters what the view draws
(:attr:`annotator.ui.text_view_events.TextViewEvents.layer`, with the Qt-free
:func:`annotator.core.layers.layer_spans`); the panels and the store are unchanged.

The menu lists the annotators of the shown document, the window's own annotator and
``gold``; it is rebuilt each time it opens. Ctrl+Alt+L shows the next layer in that order.
While gold is shown, the window writes as ``gold`` (the gold layer is edited directly).
"""
from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.core.layers import GOLD, layer_names

ALL_LAYERS = "All Layers"


class LayerMenu:
    """View > Layer of ``window`` (a :class:`~annotator.ui.main_window.MainWindow`):
    ``choose(name)`` shows ``name``'s layer (None: every layer); ``layer`` is the one shown."""

    def __init__(self, window: QMainWindow, view_menu: QMenu):
        self.window = window
        self.menu = view_menu.addMenu("&Layer")
        self.menu.setObjectName("layer_menu")
        self.menu.aboutToShow.connect(self.rebuild)
        self.next_action = window.actions["next_layer"]  # declared in annotator.ui.actions (Ctrl+Alt+L)
        self.rebuild()

    @property
    def layer(self) -> str | None:
        return self.window.view_events.layer

    def names(self) -> list[str | None]:
        """What the menu offers: None (every layer), then the annotators, gold last."""
        controller = self.window.controller
        spans = controller.store.spans(controller.doc_id) if controller.doc_id is not None else []
        names = layer_names(spans, controller.store.annotator, GOLD)
        if self.layer is not None and self.layer not in names:
            names.append(self.layer)
        return [None, *names]

    def rebuild(self) -> None:
        self.menu.clear()
        group = QActionGroup(self.menu)
        for name in self.names():
            text = ALL_LAYERS if name is None else (name or "(no annotator)")
            action = QAction(text.replace("&", "&&"), self.menu)
            action.setObjectName(f"action_layer_{'all' if name is None else name}")
            action.setCheckable(True)
            action.setChecked(name == self.layer)
            action.triggered.connect(lambda _on=False, n=name: self.choose(n))
            group.addAction(action)
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.next_action)

    def choose(self, name: str | None) -> None:
        """Show ``name``'s layer (None: every layer) in the text view, at the same place.
        While the gold layer is shown, what is marked and edited is gold's (the store writes
        as :data:`GOLD`): the adjudicator edits the gold directly; another layer gives the
        window back its annotator's name."""
        controller = self.window.controller
        if name == GOLD and self.layer != GOLD:
            self.person, controller.store.annotator = controller.store.annotator, GOLD
        elif name != GOLD and self.layer == GOLD:
            controller.store.annotator = getattr(self, "person", controller.store.annotator)
        self.window.view_events.layer = name
        place = self.window.view.place()
        controller.open_document(controller.doc_id)
        self.window.view.restore_place(place)
        shown = ALL_LAYERS.lower() if name is None else (name or 'no annotator') + '’s layer'
        self.window.statusBar().showMessage(f"Showing {shown}" + (": what you mark and edit is gold" if name == GOLD else ""), 6000)

    def next_layer(self) -> None:
        names = self.names()
        at = names.index(self.layer) if self.layer in names else 0
        self.choose(names[(at + 1) % len(names)])


def install_layer_menu(window: QMainWindow) -> LayerMenu | None:
    """Add View > Layer to ``window``; None if it has no View menu."""
    from annotator.ui.toolbar import view_menu

    menu = view_menu(window)
    return LayerMenu(window, menu) if menu is not None else None

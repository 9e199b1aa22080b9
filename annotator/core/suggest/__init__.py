"""Suggestions: pre-annotation of claims, cues, speakers, attribution and sentiment (no Qt,
no store: :mod:`.project` is the one module that talks to a project).

Entry points: :class:`.engine.Engine` (``Engine().suggest(text, known_entities)`` ->
``list[Suggestion]``), the :class:`.base.Suggester` protocol that every suggester and plug-in
implements, :func:`.learned.train` / :class:`.learned.CRFSuggester`, and the evaluation in
:mod:`.evaluate` with the gold readers of :mod:`.gold`. See docs/suggestions.md.
"""

"""Annotator: annotate who said what, and with what sentiment, in news articles."""
__version__ = "0.1.0"

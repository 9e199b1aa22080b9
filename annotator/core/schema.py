"""The annotation schema: labels (layers), their colours and keys, and attribute values.

A schema is a JSON file in ``resources/schemas/`` (documented in ``resources/README.md``).
The default is ``news``: speaker / cue / claim spans after PARC 3.0 (Pareti 2016,
"PARC 3.0: A Corpus of Attribution Relations", LREC) and polarity / intensity / target
after MPQA (Wiebe, Wilson & Cardie 2005, "Annotating expressions of opinions and emotions
in language"). A project records the name of the schema it uses.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from annotator.core.errors import InputError
from annotator.core.resources import resource

DEFAULT_SCHEMA = "news"


@dataclass(frozen=True)
class LabelDef:
    """One span label (one layer): ``name`` as stored and exported, ``key`` a one-key
    shortcut, ``color`` a ``#rrggbb`` string, ``style`` one of background / underline / box."""

    name: str
    title: str
    key: str
    color: str
    style: str
    help: str = ""


@dataclass(frozen=True)
class Schema:
    """A loaded schema. ``attributes`` maps an attribute name (form, polarity, intensity)
    to its allowed values, in display order."""

    name: str
    version: int
    description: str
    labels: tuple[LabelDef, ...]
    entity_types: tuple[str, ...]
    attributes: dict[str, tuple[str, ...]]
    attribute_keys: dict[str, Any]
    document_status: tuple[str, ...]
    document_polarity: tuple[str, ...]
    raw: dict = field(repr=False, compare=False, default_factory=dict)

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def label(self, name: str) -> LabelDef:
        """The label called ``name``; raises InputError if the schema has none."""
        for label in self.labels:
            if label.name == name:
                return label
        raise InputError(f"unknown label {name!r} (schema {self.name!r} has {', '.join(self.label_names)})")

    def check_value(self, attribute: str, value: str | None) -> None:
        """Raise InputError unless ``value`` is None or allowed for ``attribute``."""
        if value is None:
            return
        allowed = self.attributes.get(attribute)
        if allowed is None:
            raise InputError(f"unknown attribute {attribute!r}")
        if value not in allowed:
            raise InputError(f"{attribute} {value!r} is not one of {', '.join(allowed)}")

    def to_dict(self) -> dict:
        """The schema as read from its file, for exports."""
        return dict(self.raw)


def schema_from_dict(data: dict, where: str = "schema") -> Schema:
    """Build a Schema from its JSON form; raises InputError naming ``where`` if malformed."""
    try:
        labels = tuple(
            LabelDef(
                name=item["name"],
                title=item.get("title", item["name"].title()),
                key=item.get("key", ""),
                color=item.get("color", "#888888"),
                style=item.get("style", "background"),
                help=item.get("help", ""),
            )
            for item in data["labels"]
        )
        attributes = {k: tuple(v["values"]) for k, v in data.get("attributes", {}).items()}
        keys = {k: v.get("keys", v.get("key")) for k, v in data.get("attributes", {}).items()}
        doc = data.get("document", {})
        return Schema(
            name=str(data["name"]),
            version=int(data.get("version", 1)),
            description=data.get("description", ""),
            labels=labels,
            entity_types=tuple(data.get("entity_types", ["person", "organization", "other"])),
            attributes=attributes,
            attribute_keys=keys,
            document_status=tuple(doc.get("status", ["new", "in progress", "done"])),
            document_polarity=tuple(doc.get("polarity", attributes.get("polarity", ()))),
            raw=data,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{where}: not a valid schema ({exc.__class__.__name__}: {exc})") from None


def load_schema(name: str = DEFAULT_SCHEMA) -> Schema:
    """Load a schema shipped in ``resources/schemas/<name>.json``; InputError if absent."""
    path = resource("schemas", f"{name}.json")
    if not path.is_file():
        raise InputError(f"no schema called {name!r}")
    return schema_from_dict(json.loads(path.read_text(encoding="utf-8")), where=f"{name}.json")


# Colours for labels that come from peer formats (PERSON, ORG, ...), in order of arrival.
EXTRA_COLORS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#d62728", "#ff7f0e")


def extra_label(name: str, index: int) -> dict:
    """The JSON form of a label a peer format brought in (no key, a palette colour, boxed)."""
    return {"name": name, "title": name, "key": "", "color": EXTRA_COLORS[index % len(EXTRA_COLORS)],
            "style": "box", "help": "A label imported from another tool's file."}


def with_extra_labels(schema: Schema, extra: list[dict]) -> Schema:
    """``schema`` with the project's extra labels appended (their JSON form, see
    :func:`extra_label`); the exported schema lists them under ``extra_labels``."""
    if not extra:
        return schema
    labels = schema.labels + tuple(
        LabelDef(name=e["name"], title=e.get("title", e["name"]), key=e.get("key", ""),
                 color=e.get("color", "#888888"), style=e.get("style", "box"), help=e.get("help", ""))
        for e in extra
    )
    return replace(schema, labels=labels, raw=dict(schema.raw, extra_labels=list(extra)))

"""brat configuration files: reading the type names an ``annotation.conf`` declares, and
writing ``annotation.conf`` / ``visual.conf`` for an export so that brat opens it.

Format as brat's configuration documentation describes it: sections ``[entities]``,
``[relations]``, ``[events]``, ``[attributes]``; one type per line, its name first (a leading
``!`` marks a type used only for the hierarchy), then TAB-separated arguments; ``#`` starts
a comment line; ``<NAME>=...`` defines a macro. ``visual.conf`` has ``[labels]`` (name |
display forms) and ``[drawing]`` (name TAB key:value, ...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.schema import Schema

SECTIONS = ("entities", "relations", "events", "attributes")


def read_annotation_conf(path: Path) -> dict[str, set[str]]:
    """``{section: {type names}}`` declared in the ``annotation.conf`` at ``path``."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the brat configuration ({exc.__class__.__name__})") from None
    declared: dict[str, set[str]] = {s: set() for s in SECTIONS}
    section = None
    for line in content.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            section = header[1].lower()
            continue
        name = re.split(r"\s", line, maxsplit=1)[0].lstrip("!").split("|")[0]
        if section in declared and name and not name.startswith("<") and "=" not in name:
            declared[section].add(name)
    return declared


def find_annotation_conf(folder: Path, root: Path) -> Path | None:
    """The ``annotation.conf`` brat would use for a document in ``folder``: the nearest one
    in ``folder`` or a parent, up to ``root``."""
    folder, root = folder.resolve(), root.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / "annotation.conf").is_file():
            return candidate / "annotation.conf"
        if candidate == root:
            break
    return None


@dataclass
class ConfUsage:
    """The types an export used, gathered while writing the ``.ann`` files."""

    entities: dict[str, str] = field(default_factory=dict)  # brat type -> Annotator label
    events: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # type -> role -> arg types
    relations: dict[tuple[str, str, str], tuple[set[str], set[str]]] = field(default_factory=dict)
    equivs: dict[str, set[str]] = field(default_factory=dict)
    attributes: dict[str, tuple[set[str], set]] = field(default_factory=dict)  # name -> (types, values)

    def relation(self, rtype: str, labels: tuple[str, str], type1: str, type2: str) -> None:
        one, two = self.relations.setdefault((rtype, *labels), (set(), set()))
        one.add(type1)
        two.add(type2)

    def attribute(self, name: str, target_type: str, value) -> None:
        types, values = self.attributes.setdefault(name, (set(), set()))
        types.add(target_type)
        values.add(value)


def _alts(names) -> str:
    return "|".join(sorted(names))


def annotation_conf(usage: ConfUsage) -> str:
    """The text of ``annotation.conf`` declaring every type ``usage`` lists; overlapping
    spans of any types are allowed (Annotator allows them)."""
    event_types = set(usage.events)
    lines = ["# brat annotation configuration written by Annotator for this export.", "", "[entities]", ""]
    lines += sorted(t for t in usage.entities if t not in event_types)
    lines += ["", "[relations]", ""]
    for (rtype, label1, label2), (one, two) in sorted(usage.relations.items()):
        lines.append(f"{rtype}\t{label1}:{_alts(one)}, {label2}:{_alts(two)}")
    for rtype, members in sorted(usage.equivs.items()):
        lines.append(f"{rtype}\tArg1:{_alts(members)}, Arg2:{_alts(members)}, <REL-TYPE>:symmetric-transitive")
    lines += ["<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>", "", "[events]", ""]
    for etype, roles in sorted(usage.events.items()):
        args = ", ".join(f"{role}*:{_alts(types)}" for role, types in sorted(roles.items()))
        lines.append(f"{etype}\t{args}" if args else etype)
    lines += ["", "[attributes]", ""]
    for name, (types, values) in sorted(usage.attributes.items()):
        named = sorted(v for v in values if isinstance(v, str))
        lines.append(f"{name}\tArg:{_alts(types)}" + (f", Value:{'|'.join(named)}" if named else ""))
    return "\n".join(lines) + "\n"


def visual_conf(usage: ConfUsage, schema: Schema) -> str:
    """The text of ``visual.conf``: each span type's title and the schema's colour."""
    colours = {label.name: label for label in schema.labels}
    labels, drawing = [], []
    for brat_type, label in sorted(usage.entities.items()):
        known = colours.get(label)
        title = known.title if known and known.title.strip() else label
        labels.append(f"{brat_type} | {title.replace('|', '/')}")
        if known:
            drawing.append(f"{brat_type}\tbgColor:{known.color}")
    return "\n".join([
        "# brat visual configuration written by Annotator: the project's label titles and colours.",
        "", "[labels]", "", *labels, "", "[drawing]", "",
        "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
        "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5", *drawing,
    ]) + "\n"

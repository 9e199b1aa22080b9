"""Edit a project until killed; the subject of test_kill.py (not a test itself).

    python kill_driver.py PROJECT TAG SEED

Prints ``ready`` once the project is open, then for every edit ``begin N OP ARGS...``
before it and ``done N`` once it is committed (flushed at once, so that the lines written
before a SIGKILL reach the test). A ``busy N`` line means the edit was refused because
another program held the project (StoreBusyError: not applied). The edits, each one
transaction whose effect the test can check:

    add NOTE            a cue span with the note NOTE (a compound edit: span + note)
    pair NOTE1 NOTE2    two cue spans in one compound edit (both or neither)
    del NOTE            delete the span with NOTE
    upd NOTE V          set the span's attributes to {"v": V}
    ent NAME            a speaker entity called NAME
    undo NOTE           undo the add of NOTE (apply its inverted Change)
    imp PREFIX K S      import K documents titled "PREFIX doc i", each with S spans
"""
from __future__ import annotations

import random
import sys

from annotator.core.errors import StoreBusyError
from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(project: str, tag: str, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(project)
    base = [d.id for d in store.document_infos() if d.title.startswith("base")]
    lengths = {doc_id: len(store.document(doc_id).text) for doc_id in base}
    spans = {row[0]: row[1] for row in store.db.execute("SELECT note, id FROM spans WHERE note LIKE 'k%'").fetchall()}
    mine: dict[str, object] = {}  # note -> Change of its add, made by this process (for undo)
    say("ready")
    n = 0
    while True:
        n += 1
        ops = ["add"] * 6 + ["pair", "del", "upd", "upd", "ent", "imp"] + (["undo"] if mine else [])
        op = rng.choice(ops if spans else ["add", "ent", "imp"])
        try:
            run(store, op, n, tag, rng, base, lengths, spans, mine)
        except StoreBusyError:
            say(f"busy {n}")


def run(store: Store, op: str, n: int, tag: str, rng: random.Random, base, lengths, spans, mine) -> None:
    if op in ("add", "pair"):
        notes = [f"{tag}-{n}"] if op == "add" else [f"{tag}-{n}a", f"{tag}-{n}b"]
        say(f"begin {n} {op} {' '.join(notes)}")
        ids = []
        with store.compound("Add cue"):
            for note in notes:
                doc_id = rng.choice(base)
                start = rng.randrange(0, lengths[doc_id] - 12)
                change = store.add_span(doc_id, "cue", [(start, start + rng.randint(1, 10))])
                ids.append(change.created_id("spans"))
                store.update_span(ids[-1], note=note)
        say(f"done {n}")
        spans.update(zip(notes, ids))
        if op == "add":
            mine[notes[0]] = store.last_change
    elif op == "del":
        note = rng.choice(sorted(spans))
        say(f"begin {n} del {note}")
        store.delete_span(spans[note])
        say(f"done {n}")
        del spans[note]
        mine.pop(note, None)
    elif op == "upd":
        note = rng.choice(sorted(spans))
        say(f"begin {n} upd {note} {n}")
        store.update_span(spans[note], attributes={"v": n})
        say(f"done {n}")
        mine.pop(note, None)  # its add can no longer be undone alone: the store would refuse it (changed since)
    elif op == "ent":
        say(f"begin {n} ent {tag}-{n}")
        store.add_entity(f"{tag}-{n}")
        say(f"done {n}")
    elif op == "undo":
        note = rng.choice(sorted(mine))
        say(f"begin {n} undo {note}")
        store.apply(mine.pop(note).inverted())
        say(f"done {n}")
        spans.pop(note, None)
    elif op == "imp":
        k, s = 3, 20
        prefix = f"{tag}-{n}"
        docs = []
        for i in range(k):
            text = f"{prefix} doc {i}: " + " ".join(f"w{rng.random():.6f}" for _ in range(400))
            docs.append(NewDocument(title=f"{prefix} doc {i}", text=text, origin=f"{prefix}-{i}.txt",
                                    spans=[NewSpan(f"s{j}", "cue", ((j * 10, j * 10 + 5),)) for j in range(s)]))
        say(f"begin {n} imp {prefix} {k} {s}")
        store.import_documents(docs)
        say(f"done {n}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))

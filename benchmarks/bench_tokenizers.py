"""Which FTS5 tokenizer for project search: ``unicode61 remove_diacritics 2`` or ``trigram``.

    python benchmarks/bench_tokenizers.py [N_ARTICLES]

Measured on this SQLite (printed), over the 8 Wikinews articles repeated to N_ARTICLES
(default 2,000) plus short Chinese, Japanese, Korean and accented-Latin sentences:

* recall: for CJK words of 2, 3 and 4 characters, and for accent-free spellings of accented
  words ("Pekin" for "Pékin"), the share of the documents holding them (by a Python
  substring test on case- and accent-folded text) that the index finds;
* size of the index (the project file grows by it) and its build time, per tokenizer;
* Annotator's choice (``unicode61`` for words, ``trigram`` for the CJK rows, ``instr`` for
  CJK parts under 3 characters: :mod:`annotator.core.store.search`), measured the same way.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.model import NewDocument
from annotator.core.store import Store
from annotator.core.store.search import search
from annotator.core.text_search import fold

WIKINEWS = Path(__file__).resolve().parents[1] / "tests" / "data" / "wikinews"
EXTRA = [
    "美国国务卿布林肯与俄罗斯外交部长拉夫罗夫在雷克雅未克举行会谈。",
    "中国外交部发言人表示，双方同意继续保持沟通。",
    "俄罗斯联邦政府宣布新的经济措施，总统普京出席了会议。",
    "日本の首相は東京で記者会見を開き、経済対策を発表した。",
    "外務省の報道官は、両国の関係改善に期待を示した。",
    "大統領は国民に向けて演説し、政府の方針を説明した。",
    "한국 정부는 북한의 미사일 발사에 대해 강하게 비판했다.",
    "대통령은 기자회견에서 경제 정책을 발표했다.",
    "Le président a déclaré à Pékin que la coopération économique était «très importante».",
    "Der Bürgermeister von Köln sagte, die Brücke über den Fluss werde bald geöffnet.",
    "El presidente de México habló con la prensa en la Ciudad de México sobre la economía.",
    "São Paulo: o ministro da Educação anunciou novas medidas para as escolas públicas.",
]
CJK_QUERIES = {2: ["美国", "政府", "首相", "東京", "대통령", "경제"], 3: ["外交部", "布林肯", "記者会", "報道官"],
               4: ["俄罗斯联", "記者会見", "기자회견", "经济措施"]}
ACCENT_QUERIES = ["Pekin", "Koln", "Burgermeister", "Mexico", "Sao Paulo", "Educacao", "president", "geoffnet"]


def corpus(n: int) -> list[str]:
    base = [p.read_text(encoding="utf-8") for p in sorted(WIKINEWS.glob("*.txt"))]
    texts = [f"Copy {i}\n{base[i % len(base)]}" for i in range(n)]
    return texts + EXTRA


def truth(texts: list[str], query: str) -> set[int]:
    q = fold(query)
    return {i + 1 for i, t in enumerate(texts) if q in fold(t)}


def build(path: Path, tokenizer: str, texts: list[str]) -> tuple[sqlite3.Connection, float]:
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{tokenizer}', content='')")  # the index alone
    start = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", enumerate(texts, 1))
    return conn, time.perf_counter() - start


def fts_ids(conn: sqlite3.Connection, query: str) -> set[int]:
    phrase = '"' + query.replace('"', '""') + '"'
    return {r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [phrase]).fetchall()}


def recall(found: set[int], wanted: set[int]) -> float:
    return len(found & wanted) / len(wanted) if wanted else 1.0


def main(n: int = 2000) -> None:
    texts = corpus(n)
    print(f"SQLite {sqlite3.sqlite_version}; {len(texts):,} documents, {sum(map(len, texts)) / 1e6:.1f} M characters")
    folder = Path(tempfile.mkdtemp())
    rows = []
    for name, tokenizer in (("unicode61 remove_diacritics 2", "unicode61 remove_diacritics 2"), ("trigram", "trigram")):
        path = folder / f"{tokenizer.split()[0]}.db"
        conn, seconds = build(path, tokenizer, texts)
        cjk = {k: sum(recall(fts_ids(conn, q), truth(texts, q)) for q in qs) / len(qs) for k, qs in CJK_QUERIES.items()}
        accents = sum(recall(fts_ids(conn, q), truth(texts, q)) for q in ACCENT_QUERIES) / len(ACCENT_QUERIES)
        conn.close()
        rows.append((name, cjk, accents, os.path.getsize(path), seconds))
    store = Store.open(folder / "annotator.db")
    start = time.perf_counter()
    store.import_documents([NewDocument(title=f"d{i}", text=t) for i, t in enumerate(texts)])
    seconds = time.perf_counter() - start

    def ours(q: str) -> set[int]:
        return {h.document_id for h in search(store, q, limit=10**6)}

    cjk = {k: sum(recall(ours(q), truth(texts, q)) for q in qs) / len(qs) for k, qs in CJK_QUERIES.items()}
    accents = sum(recall(ours(q), truth(texts, q)) for q in ACCENT_QUERIES) / len(ACCENT_QUERIES)
    store.close()
    plain = Store.open(folder / "plain.db")
    for (trigger,) in plain.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        plain.db.execute(f"DROP TRIGGER {trigger}")
    plain.import_documents([NewDocument(title=f"d{i}", text=t) for i, t in enumerate(texts)])
    plain.close()
    index_size = os.path.getsize(folder / "annotator.db") - os.path.getsize(folder / "plain.db")
    rows.append(("Annotator (unicode61 + trigram for CJK rows)", cjk, accents, index_size, seconds))
    print(f"\n{'tokenizer':<46} {'CJK recall 2 / 3 / 4 chars':>27} {'accents':>8} {'index size':>11} {'build':>8}")
    for name, cjk, accents, size, seconds in rows:
        print(f"{name:<46} {cjk[2]:>9.2f} {cjk[3]:>6.2f} {cjk[4]:>6.2f}    {accents:>8.2f} {size / 1e6:>8.1f} MB {seconds:>7.2f}s")
    print("(Annotator's index size is the project file with the index minus without; its build time includes the import)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

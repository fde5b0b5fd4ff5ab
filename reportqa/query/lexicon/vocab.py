"""Terms the claim extractor recognises: domains (table rows), metrics, companies — from a glossary.

``build_vocab(glossary, documents)`` adds the row labels of the parsed tables (so a report's rows are
subjects even when its glossary lacks them) and knows the total rows. The glossary comes from the
engine's lexicon (``lexicon.load_lexicon``); ``general_vocab`` (package words only) serves callers
that have no engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from reportqa.query.lexicon.glossary import Glossary, GlossaryEntry
from reportqa.query.lexicon.words import general_glossary, words
from reportqa.records import Document


@dataclass(frozen=True)
class Term:
    """A vocabulary term named in a text: canonical term, kind and where it stands."""

    term: str
    kind: str
    start: int
    end: int
    surface: str


@dataclass
class Vocab:
    """Glossary + table row labels, with one matcher over all of them."""

    glossary: Glossary
    row_labels: frozenset[str]
    total_labels: frozenset[str]
    scope: tuple[str, ...] = ()

    @cached_property
    def scope_words_en(self) -> frozenset[str]:
        """The English words of the glossary terms named in the reports' scope ('sharing', 'economy', …)."""
        out: set[str] = set()
        for scope in self.scope:
            for m in self.glossary.find(scope):
                out.update(w.lower() for form in m.entry.english for w in re.findall(r"[A-Za-z]+", form))
        return frozenset(out)

    def find(self, text: str) -> list[Term]:
        """Longest non-overlapping vocabulary terms in ``text``, in text order.

        A metric glued to the end of another ('直接融资' + '规模') is part of it and is dropped.
        """
        terms: list[Term] = []
        for m in self.glossary.find(text):
            if m.entry.kind == "metric" and terms and terms[-1].kind == "metric" and terms[-1].end == m.start:
                continue
            terms.append(Term(m.entry.term, m.entry.kind, m.start, m.end, m.text))
        return terms

    def is_total(self, term: str | None) -> bool:
        """True for the total row (总计/合计) and its aliases."""
        return term is not None and term in self.total_labels

    def related(self, term: str) -> tuple[str, ...]:
        """Rows a term stands in for when a table lacks it (共享住宿 → 住宿)."""
        entry = self.glossary.get(term)
        return entry.related if entry else ()

    def canonical(self, form: str) -> str:
        """The canonical term of a Chinese form (the form itself when unknown)."""
        entry = self.glossary.lookup(form)
        return entry.term if entry else form


def _with_rows(base: Glossary, labels: tuple[str, ...], metrics: tuple[str, ...] = ()) -> Glossary:
    """The glossary with every table row label as a row entry (a listed term/company that labels a row becomes a row)
    and every table measure it lacks as a metric entry."""
    entries: list[GlossaryEntry] = []
    known = {f for e in base.entries for f in e.forms_zh}
    for e in base.entries:
        kind = "row" if e.term in labels and e.kind in ("term", "company") else e.kind
        entries.append(e if kind == e.kind else GlossaryEntry(e.term, e.english, e.chinese, kind, e.related, e.docs))
    for label in labels:
        if label not in known and not re.search(r"\d", label):
            entries.append(GlossaryEntry(label, (), (), "row"))
            known.add(label)
    for metric in metrics:
        if metric not in known and not re.search(r"\d", metric) and not base.find(metric):
            entries.append(GlossaryEntry(metric, (), (), "metric"))
            known.add(metric)
    out = Glossary(entries)
    out.per_doc.update(base.per_doc)
    return out


def build_vocab(glossary: Glossary, documents: list[Document]) -> Vocab:
    """The claim vocabulary of ``documents`` read with ``glossary`` (plus their table row labels and total rows)."""
    labels: list[str] = []
    metrics: list[str] = []
    totals = set(words("total", "zh"))
    for doc in documents:
        for table in doc.tables:
            metrics += [c.metric for c in table.columns if c.kind != "growth" and c.metric not in metrics]
            for row in table.rows:
                if row.label not in labels:
                    labels.append(row.label)
                if row.is_total:
                    totals.add(row.label)
    extended = _with_rows(glossary, tuple(labels), tuple(metrics))
    for e in extended.entries:  # a total row's glossary variants are totals too
        if set(e.forms_zh) & totals and e.kind == "row":
            totals.update(e.forms_zh)
    scope = tuple(dict.fromkeys(w for d in documents if (w := report_scope(d.title))))
    return Vocab(glossary=extended, row_labels=frozenset(labels), total_labels=frozenset(totals), scope=scope)


@lru_cache(maxsize=1)
def general_vocab() -> Vocab:
    """Package words only: for extracting claims without an engine (no report's rows or terms)."""
    return build_vocab(general_glossary(), [])


def get_vocab(docs: list[Document] | None = None, glossary: Glossary | None = None) -> Vocab:
    """``build_vocab`` with ``glossary`` (default: general words only); prefer the engine's ``lexicon.vocab``."""
    if not docs and glossary is None:
        return general_vocab()
    return build_vocab(glossary or general_glossary(), docs or [])


def report_scope(title: str) -> str:
    """What a report is about, from its title: '临江市数字文旅发展报告（2024）' → '临江市数字文旅'."""
    head = re.split(r"[（(]", title)[0]
    head = re.sub(r"(?:发展)?(?:研究)?(?:年度)?报告$|白皮书$|蓝皮书$", "", head)
    return head if len(head) >= 2 else ""

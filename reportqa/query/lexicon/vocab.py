"""Terms the claim extractor recognises: domains (table rows), metrics, companies — from the glossary.

One place for the vocabulary: ``corpus/glossary.tsv`` when present, else a small built-in fallback,
plus the row labels of the parsed tables (so another report's rows are subjects too) and a few
English words the glossary does not carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportqa.query.lexicon.glossary import (
    Glossary,
    GlossaryEntry,
    load_glossary,
    parse_glossary,
)
from reportqa.records import Document

# Used only when corpus/glossary.tsv is missing: the report's domains and table metrics.
FALLBACK_GLOSSARY = """\
交通出行\ttransport|transportation|mobility|shared mobility|共享出行\trow
共享住宿\tshared accommodation|home sharing|homestays\trow
知识技能\tknowledge and skills|knowledge & skills\trow
生活服务\tlife services|household services\trow
共享医疗\tshared healthcare|healthcare|在线医疗\trow
共享办公\tshared office|office|coworking|共享空间\trow
生产能力\tproduction capacity|manufacturing capacity\trow
总计\ttotal|sharing economy|共享经济|合计\trow
网约车\tride-hailing|ride hailing|online car-hailing\trow
在线外卖\tfood delivery|online food delivery|外卖\trow
交易额\ttransaction volume|transactions|market size|交易规模|市场规模\tmetric
直接融资\tdirect financing|financing|funding|融资额|融资规模|融资\tmetric
用户规模\tusers|user base|用户数|用户\tmetric
普及率\tpenetration rate|penetration|网民普及率|渗透率\tmetric
占比\tshare|proportion|比重\tmetric
同比增速\tgrowth|year-on-year growth|增速|同比增长\tmetric
"""

# English words for metrics that the glossary does not list (added as extra aliases).
EXTRA_ENGLISH: dict[str, tuple[str, ...]] = {
    "交易额": ("transactions", "transaction", "transacted", "market", "transaction volumes"),
    "直接融资": ("raised", "financed"),
    "用户规模": ("user", "people used"),
}

# Chinese variants the glossary does not list (added when no other entry claims them).
EXTRA_CHINESE: dict[str, tuple[str, ...]] = {"交易额": ("交易总额",)}

TOTAL_LABELS = frozenset({"总计", "合计", "总和", "总体", "全部"})


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


def _base_glossary(path: Path | None) -> Glossary:
    if path is not None and Path(path).is_file():
        return load_glossary(path)
    return parse_glossary(FALLBACK_GLOSSARY, source="built-in fallback glossary")


def _with_extras(base: Glossary, labels: tuple[str, ...]) -> Glossary:
    entries: list[GlossaryEntry] = []
    known = {f for e in base.entries for f in e.forms_zh}
    for e in base.entries:
        extra = tuple(a for a in EXTRA_ENGLISH.get(e.term, ()) if a not in e.english)
        extra_zh = tuple(a for a in EXTRA_CHINESE.get(e.term, ()) if a not in known)
        known.update(extra_zh)
        kind = "row" if e.term in labels and e.kind in ("term", "company") else e.kind  # a table row label is a row
        entries.append(GlossaryEntry(e.term, e.english + extra, e.chinese + extra_zh, kind, e.related))
    for label in labels:
        if label not in known and not re.search(r"\d", label):
            entries.append(GlossaryEntry(label, (), (), "row"))
            known.add(label)
    return Glossary(entries)


@lru_cache(maxsize=16)
def _vocab_cached(path: str | None, labels: tuple[str, ...], scope: tuple[str, ...] = ()) -> Vocab:
    glossary = _with_extras(_base_glossary(Path(path) if path else None), labels)
    totals = set(TOTAL_LABELS)
    entry = glossary.get("总计")
    if entry is not None:
        totals.update(entry.forms_zh)
    totals.update(label for label in labels if label in TOTAL_LABELS)
    return Vocab(glossary=glossary, row_labels=frozenset(labels), total_labels=frozenset(totals), scope=scope)


def default_glossary_path() -> Path | None:
    """The configured glossary file (settings.glossary), None when settings cannot be read."""
    try:
        from reportqa.settings import get_settings

        return get_settings().glossary
    except Exception:  # noqa: BLE001 - a broken environment must not stop claim extraction
        return None


def get_vocab(docs: list[Document] | None = None, glossary_path: Path | None = None) -> Vocab:
    """The vocabulary for a set of parsed reports (cached per glossary file and row labels)."""
    labels: list[str] = []
    for doc in docs or []:
        for table in doc.tables:
            for row in table.rows:
                if row.label not in labels:
                    labels.append(row.label)
    path = glossary_path or default_glossary_path()
    scope = tuple(dict.fromkeys(w for d in docs or [] if (w := report_scope(d.title))))
    return _vocab_cached(str(path) if path else None, tuple(labels), scope)


def report_scope(title: str) -> str:
    """What a report is about, from its title: '临江市数字文旅发展报告（2024）' → '临江市数字文旅'."""
    head = re.split(r"[（(]", title)[0]
    head = re.sub(r"(?:发展)?(?:研究)?(?:年度)?报告$|白皮书$|蓝皮书$", "", head)
    return head if len(head) >= 2 else ""

"""An engine's vocabulary: every report's glossary (found beside the report), merged, plus general words.

    lexicon = load_lexicon(documents, corpus_dir, extra=settings.glossary)
    lexicon.glossary              # the union: every entry knows the documents that list it
    lexicon.glossary.for_doc(id)  # one report's own glossary (+ general words)
    lexicon.vocab                 # the claim extractor's vocabulary (glossary + table row labels)

The engine builds its lexicon once at load and passes it to whatever reads words; nothing falls back to
the process settings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.layout import glossary_beside, glossary_files
from reportqa.query.lexicon.glossary import Glossary, load_glossary, merge_glossaries
from reportqa.query.lexicon.vocab import Vocab, build_vocab
from reportqa.query.lexicon.words import general_glossary
from reportqa.records import Document


@dataclass(frozen=True)
class GlossaryFile:
    """One glossary file an engine read: which report it belongs to (None: applies to all) and its sha256."""

    doc_id: str | None
    path: Path
    sha256: str


@dataclass
class Lexicon:
    """The merged glossary, the claim vocabulary and the files they came from."""

    glossary: Glossary
    vocab: Vocab
    files: list[GlossaryFile] = field(default_factory=list)

    def docs_of(self, term: str) -> tuple[str, ...]:
        """Documents whose glossary lists ``term`` (or a variant of it); () for general or unknown words."""
        entry = self.glossary.lookup(term)
        return entry.docs if entry else ()


def lexicon_from(parts: list[tuple[str | None, Glossary]], documents: list[Document],
                 files: list[GlossaryFile] | None = None) -> Lexicon:
    """A lexicon from parsed glossaries ``(doc_id or None for all reports, glossary)`` and the parsed reports."""
    general = general_glossary()
    shared = [(d, g) for d, g in parts if d is None]
    union = merge_glossaries([(d, g) for d, g in parts if d is not None] + shared + [(None, general)])
    doc_ids = [d.doc_id for d in documents] + [d for d, _ in parts if d and d not in {x.doc_id for x in documents}]
    for doc_id in doc_ids:
        own = [(doc_id, g) for d, g in parts if d == doc_id]
        union.per_doc[doc_id] = merge_glossaries(own + shared + [(None, general)])
    return Lexicon(glossary=union, vocab=build_vocab(union, documents), files=files or [])


def load_lexicon(documents: list[Document], corpus_dir: Path | None = None, extra: Path | None = None) -> Lexicon:
    """The lexicon of ``documents``: each report's ``<stem>.glossary.tsv`` (from ``corpus_dir``, else beside the
    report's path), plus the optional ``extra`` glossary, plus the general words shipped with the package."""
    found: list[tuple[str | None, Path]] = []
    if corpus_dir is not None:
        found = [(d, p) for d, p in glossary_files(Path(corpus_dir)) if d in {x.doc_id for x in documents}]
    known = {d for d, _ in found}
    for doc in documents:
        beside = glossary_beside(Path(doc.path))
        if doc.doc_id not in known and beside.is_file():
            found.append((doc.doc_id, beside))
    if extra is not None:
        found.append((None, Path(extra)))
    parts = [(d, load_glossary(p)) for d, p in found]
    files = [GlossaryFile(d, p, hashlib.sha256(p.read_bytes()).hexdigest()) for d, p in found]
    return lexicon_from(parts, documents, files)

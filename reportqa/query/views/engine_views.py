"""The engine's views of its reports, built once at load and held by the engine (no module-global caches).

    views = build_views(documents, chunks, lexicon)
    views.lexicon        # merged glossaries (each entry knows its documents) + claim vocabulary
    views.context        # located sentences with their claims (answering)
    views.figure_index   # every printed figure, read with the engine's vocabulary (checker, audit)
"""

from __future__ import annotations

from dataclasses import dataclass

from reportqa.query.lexicon.lexicon import Lexicon
from reportqa.query.views.figure_index import FigureIndex, build_figure_index
from reportqa.query.views.sentences import AnswerContext, build_context
from reportqa.records import Chunk, Document


@dataclass
class EngineViews:
    """Everything an engine derives from its reports once: vocabulary, sentences, figure index."""

    lexicon: Lexicon
    context: AnswerContext
    figure_index: FigureIndex


def build_views(documents: list[Document], chunks: dict[str, Chunk], lexicon: Lexicon) -> EngineViews:
    """Build the engine's views from its parsed reports, chunks and lexicon."""
    context = build_context(documents, chunks, lexicon)
    index = build_figure_index(documents, lexicon.vocab)
    context.figure_index = index
    return EngineViews(lexicon=lexicon, context=context, figure_index=index)

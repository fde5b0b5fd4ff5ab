"""Conversation follow-ups: the last user message, rewritten into a standalone question from the earlier user turns.

    vocab = vocabulary(engine)
    rewrite_followup(["2022年<row>规模", "那2021年呢？"], vocab).question     # → "2021年<row>规模"
    rewrite_followup(["... in 2022?", "what about its share of the total?"], vocab).question
                                                                           # → "What about <row>'s share of the total in 2022?"

A question is read into *marks*: years (by pattern), subjects (the index's table row labels and the glossary's
row / term / company entries), measures (the glossary's metrics plus a general word list), and follow-up cues
(a leading "那" / "and", a trailing "呢", pronouns, "that year", "the previous year"). The general words ship
as package data per language (``reportqa/data/conversation/{zh,en}.json``); nothing here names a report's terms.

A follow-up that omits the year, subject or measure of the conversation is rewritten in one of two ways:

- **substitution** — it only names a new year and/or subject ("那2021年呢？", "and in 2021?", "<row>呢？"):
  the previous (resolved) question with those replaced, so its measure and wording carry over;
- **completion** — it asks something of its own ("占总规模多少？", "what about its share of the total?"):
  the follow-up with the missing year and subject added (a pronoun is replaced by the subject).

A question with nothing missing, or that reads as a new question (no cue, and words beyond the slots), is
answered as asked. A rewritten follow-up says what it was understood as: ``ConversationAnswer.understood_as``
holds the standalone question, and the chat reply starts with "理解为：…" / "Understood as: …".

Modules, each importing only the ones before it: ``words`` (vocabulary) → ``reading`` (marks) → ``rewrite``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportqa.conversation.reading import Mark, Reading, language, read_question
from reportqa.conversation.rewrite import Rewrite, rewrite_followup
from reportqa.conversation.words import Lang, Vocabulary, build_vocabulary, load_words, vocabulary
from reportqa.errors import BadQuestion

__all__ = [
    "Lang", "Mark", "Reading", "Rewrite", "Vocabulary", "build_vocabulary", "language", "load_words", "message_text",
    "read_question", "rewrite_followup", "understood_as_line", "user_turns", "vocabulary",
]


def message_text(content: Any) -> str:
    """The text of an OpenAI-style message content: a string, or a list of parts whose text parts are joined."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):
        parts = [p.get("text", "") for p in content if isinstance(p, Mapping) and p.get("type") == "text"]
        return "".join(p for p in parts if isinstance(p, str))
    return ""


def user_turns(messages: Sequence[Mapping[str, Any]]) -> list[str]:
    """The user messages' texts in order; raise BadQuestion unless the last message is a non-empty user question."""
    if not messages:
        raise BadQuestion('messages is empty — send [{"role": "user", "content": "<your question>"}]')
    last = messages[-1]
    if last.get("role") != "user":
        raise BadQuestion(f"the last message is from {last.get('role')!r} — end messages with the user's question (role 'user')")
    if not message_text(last.get("content")).strip():
        raise BadQuestion("the last user message has no text — send the question as its content")
    return [t for m in messages if m.get("role") == "user" and (t := message_text(m.get("content")).strip())]


def understood_as_line(question: str | None, lang: Lang) -> str:
    """'理解为：…' / 'Understood as: …' for a rewritten follow-up (``question`` not None), in its language; '' otherwise."""
    if not question:
        return ""
    return load_words(lang).templates["understood_as"].format(question=question)

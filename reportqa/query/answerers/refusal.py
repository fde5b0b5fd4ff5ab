"""'The report does not say': always a candidate, chosen when no other is supported well enough or fits the
question's frame. It says what is missing and quotes the nearest the report comes (the disqualified figure
with its own frame when there is one)."""

from __future__ import annotations

import re

from reportqa.query.analysis.question import Question
from reportqa.query.answerers.base import (
    Candidate,
    Draft,
    Evidence,
    chunk_citation,
    sentence_citation,
    where,
)
from reportqa.query.answerers.textfacts import nearest
from reportqa.query.views.sentences import Sentence

_TRAILING_ASK = re.compile(r"(?:是多少|有多少|多少|是什么|有哪些|吗|呢|？|\?|。)+$")


# the frames an answerer names in English, as a Chinese refusal says them
_FRAME_ZH = {"world": "全球", "home country": "我国", "full-year": "全年", "several years": "多年累计", "added": "存量（而非新增）",
             "another part's share of it": "其他部分在其中的占比", "the part the question leaves out": "题中除去的部分"}


def propose(q: Question, ev: Evidence, reason: str | None = None, rejected: Candidate | None = None) -> Candidate:
    """The refusal, with ``reason`` (what the report lacks) and the nearest evidence."""
    near: list[Sentence] = []
    if rejected is not None and rejected.nearest is not None:
        near.append(rejected.nearest)
        names = [i for i in rejected.frame_issues if i.startswith("“")]
        frame = [i for i in rejected.frame_issues if not i.startswith("“")]
        if names:
            what = "、".join(names) if q.language == "zh" else ", ".join(names)
            # (the nearest figure is of another named subject than the one asked, or lacks a word the question puts on it)
            reason = reason or (f"报告给出的相近数字与{what}不符" if q.language == "zh" else f"the nearest figure it gives does not fit {what}")
        elif frame:
            what = "、".join(_FRAME_ZH.get(f, re.sub(r" together$", "整体", f)) for f in frame) if q.language == "zh" \
                else ", ".join(frame)
            reason = reason or (f"报告给出的数字只适用于{what}" if q.language == "zh" else f"the report's figure holds for {what} only")
    for s in nearest(q.facts, ev.ctx, ev.ranked, n=2):
        if len(near) < 2 and all(s.index != o.index for o in near):
            near.append(s)
    lang = q.language
    if lang == "zh":
        core = _TRAILING_ASK.sub("", q.text.strip()) or q.text.strip()
        text = f"报告未提供“{core}”的数据" + (f"（{reason}）" if reason else "") + "。"
        if near:
            text += f"报告中最接近的内容：“{near[0].text}”{where(near[0], lang)}"
    else:
        labels = [c.label for c in q.facts.concepts if c.kind != "year"] + \
                 [c.label.rstrip("年") for c in q.facts.concepts if c.kind == "year"]
        what = f"it gives no figure for {' / '.join(labels)}" if labels else "it does not cover this question"
        text = f"The report does not say: {what}" + (f" ({reason})" if reason else "") + "."
        if near:
            text += f" Nearby, the report says: “{near[0].text}”{where(near[0], lang)}"
    draft = Draft("unanswerable", False, text)
    for s in near:
        draft.citations.append((sentence_citation(s, ev.scores.get(s.chunk_id or "", 0.0)), []))
    if not near:
        for cid in ev.ranked[:2]:
            draft.citations.append((chunk_citation(ev.ctx, ev.ctx.chunks[cid], ev.scores.get(cid, 0.0)), []))
    return Candidate("refusal", draft, 0.0)

"""Render an eval run (the results.json dict) as console text, Markdown and a self-contained HTML page."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from evals.compare import RunDiff, improved

ROWS: tuple[tuple[str, str, str], ...] = (
    ("accuracy", "correct (all items)", "n"),
    ("numeric_accuracy", "numeric accuracy", "n_numeric"),
    ("citation_accuracy", "citation accuracy", "n_citation"),
    ("hit_at_k", "evidence hit@k", "n_evidence"),
    ("mrr", "evidence MRR", "n_evidence"),
    ("abstention_precision", "abstention precision", "n_abstained"),
    ("abstention_recall", "abstention recall", "n_unanswerable"),
    ("checker_share", "checker verified/derived", "n_facts"),
    ("latency_p50_ms", "latency p50", "n"),
    ("latency_p95_ms", "latency p95", "n"),
    ("paraphrase_agreement", "paraphrase agreement", "n_paraphrased"),
    ("off_topic_abstention", "off-topic abstention", "n_off_topic"),
    ("lang_gap", "zh/en gap", "n"),
)
GROUP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "n"), ("accuracy", "correct"), ("numeric_accuracy", "numeric"), ("citation_accuracy", "citation"),
    ("hit_at_k", "hit@k"), ("mrr", "MRR"), ("abstention_precision", "abst. P"), ("abstention_recall", "abst. R"),
    ("checker_share", "checker"), ("latency_p50_ms", "p50"), ("latency_p95_ms", "p95"),
)
LANG_COLORS = {"zh": "#c0392b", "en": "#2e86c1"}


def fmt(metric: str, value: Any) -> str:
    """'87.5%' for shares, '0.812' for MRR, '120 ms' for latency, '–' when missing."""
    if value is None:
        return "–"
    if metric == "n" or metric.startswith("n_"):
        return str(value)
    if metric.startswith("latency"):
        return f"{value:.0f} ms"
    if metric == "mrr":
        return f"{value:.3f}"
    return f"{value * 100:.1f}%"


def fmt_delta(metric: str, delta: float | None) -> str:
    """'+2.5 pt', '-10 ms', '+0.031'."""
    if delta is None:
        return "–"
    if metric.startswith("latency"):
        return f"{delta:+.0f} ms"
    if metric == "mrr":
        return f"{delta:+.3f}"
    return f"{delta * 100:+.1f} pt"


def _header(data: dict[str, Any]) -> str:
    index = data.get("index") or {}
    build = index.get("build_id", "?")
    return (f"{data.get('eval_set') or 'eval set'} — {len(data['results'])} items, source {data['source']}, "
            f"index {build} ({index.get('embedder', '?')}), k={data['k']}, {data['created_at']}")


def _diff(data: dict[str, Any], diff: RunDiff | None) -> dict[str, Any] | None:
    if diff is not None:
        return diff.to_dict()
    return data.get("baseline")


def _failures(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in data["results"] if not r.get("correct")]


def _why(r: dict[str, Any]) -> str:
    if r.get("error"):
        return "error"
    if r["type"] == "unanswerable":
        return "did not abstain"
    if r.get("abstained"):
        return "false abstention"
    if r.get("numeric") is False:
        return "wrong or missing figure"
    if r.get("citation") is False:
        return "gold section/table not cited"
    return "failed"


# --------------------------------------------------------------------------- console


def render_console(data: dict[str, Any], diff: RunDiff | None, missed: list[str], paths: list[Path], gated: bool = True) -> str:
    """A compact plain-text summary for the terminal."""
    overall = data["summary"]["overall"]
    lines = [_header(data), ""]
    for metric, label, n_key in ROWS:
        lines.append(f"  {label:<26} {fmt(metric, overall.get(metric)):>9}   n={overall.get(n_key, 0)}")
    lines.append("")
    lines.append("  by type × lang (correct):")
    for key, s in data["summary"]["by_type_lang"].items():
        lines.append(f"    {key:<22} {fmt('accuracy', s['accuracy']):>7}  of {s['n']}")
    d = _diff(data, diff)
    if d:
        lines += ["", f"  vs baseline {d['baseline']}:"]
        for metric, v in d["deltas"].items():
            lines.append(f"    {metric:<22} {fmt(metric, v['before']):>9} → {fmt(metric, v['after']):>9}  ({fmt_delta(metric, v['delta'])})")
        for f in d["flipped"]:
            lines.append(f"    {f['before']}→{f['after']}  {f['id']}  {f['question']}")
    if overall.get("errors"):
        lines.append(f"\n  {overall['errors']} question(s) failed with an error (see results.json)")
    lines.append("")
    lines += [f"  gate missed: {m}" for m in missed] or ["  gates: passed" if gated else "  gates: none set"]
    lines += [f"  wrote {p}" for p in paths]
    return "\n".join(lines)


# --------------------------------------------------------------------------- markdown


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_group_table(groups: dict[str, Any], label: str) -> list[str]:
    head = f"| {label} | " + " | ".join(h for _, h in GROUP_COLUMNS) + " |"
    rule = "|" + "---|" * (len(GROUP_COLUMNS) + 1)
    rows = [f"| {key} | " + " | ".join(fmt(m, s.get(m)) for m, _ in GROUP_COLUMNS) + " |" for key, s in groups.items()]
    return [head, rule, *rows, ""]


def render_markdown(data: dict[str, Any], diff: RunDiff | None = None) -> str:
    """report.md: summary, breakdowns, baseline deltas and every failure with gold, answer and citations."""
    overall = data["summary"]["overall"]
    out = ["# ReportQA eval", "", _header(data), ""]
    settings = data.get("settings") or {}
    if settings:
        out += ["Settings: `" + _md_escape(json.dumps(settings, ensure_ascii=False, sort_keys=True)) + "`", ""]
    out += ["## Summary", "", "| metric | value | n |", "|---|---|---|"]
    out += [f"| {label} | {fmt(m, overall.get(m))} | {overall.get(n, 0)} |" for m, label, n in ROWS]
    out += [""]
    out += ["## By type", "", *_md_group_table(data["summary"]["by_type"], "type")]
    out += ["## By language", "", *_md_group_table(data["summary"]["by_lang"], "lang")]
    out += ["## By type × language", "", *_md_group_table(data["summary"]["by_type_lang"], "type/lang")]
    d = _diff(data, diff)
    if d:
        out += [f"## Against baseline `{d['baseline']}`", "", "| metric | before | after | Δ |", "|---|---|---|---|"]
        out += [f"| {m} | {fmt(m, v['before'])} | {fmt(m, v['after'])} | {fmt_delta(m, v['delta'])} |" for m, v in d["deltas"].items()]
        out += ["", f"Flipped items: {len(d['flipped'])}", ""]
        out += [f"- **{f['before']} → {f['after']}** `{f['id']}` {_md_escape(f['question'])}" for f in d["flipped"]]
        out += [""]
    failures = _failures(data)
    out += [f"## Failures ({len(failures)})", ""]
    for r in failures:
        out += [f"### `{r['id']}` {r['type']}/{r['lang']} — {_why(r)}", "", f"- **Question:** {_md_escape(r['question'])}",
                f"- **Gold:** {_md_escape(r['gold'])}", f"- **Answer:** {_md_escape(r.get('error') or r.get('answer') or '')}"]
        for c in r.get("citations", [])[: data["k"]]:
            out.append(f"  - cited `{c['id']}` {_md_escape(c.get('section', ''))}: {_md_escape(c.get('quote', ''))[:160]}")
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- html

_CSS = """
body{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}thead{background:#f4f4f4}.meta{color:#666;font-size:.9rem}
.good{color:#1e8449}.bad{color:#c0392b}.fail{border:1px solid #eee;border-left:4px solid #c0392b;padding:.5rem 1rem;margin:.75rem 0}
.fail h3{font-size:1rem;margin:.2rem 0}.fail dl{display:grid;grid-template-columns:6rem 1fr;gap:.2rem .8rem;margin:.3rem 0}
.fail dt{color:#666}.cite{font-size:.85rem;color:#444;margin:.15rem 0}.cite code{color:#555}
"""


def _html_group_table(groups: dict[str, Any], label: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for _, h in GROUP_COLUMNS)
    rows = "".join(
        f"<tr><td>{escape(key)}</td>" + "".join(f"<td>{escape(fmt(m, s.get(m)))}</td>" for m, _ in GROUP_COLUMNS) + "</tr>"
        for key, s in groups.items()
    )
    return f"<table><thead><tr><th>{escape(label)}</th>{head}</tr></thead><tbody>{rows}</tbody></table>"


def accuracy_chart(by_type_lang: dict[str, Any], width: int = 900, height: int = 260) -> str:
    """Inline SVG: grouped bars of the share of correct items per type, one bar per language."""
    types = sorted({key.split("/")[0] for key in by_type_lang})
    langs = [lang for lang in LANG_COLORS if any(key.endswith("/" + lang) for key in by_type_lang)]
    if not types or not langs:
        return "<p>No results to chart.</p>"
    left, bottom, top = 40, 40, 20
    plot_h = height - bottom - top
    group_w = (width - left) / len(types)
    bar_w = min(36.0, group_w * 0.8 / len(langs))
    parts = [f'<svg width="{width}" height="{height}" role="img" '
             f'aria-label="Accuracy by type and language">']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#666">{tick:.0%}</text>')
    for i, t in enumerate(types):
        x0 = left + i * group_w + (group_w - bar_w * len(langs)) / 2
        for j, lang in enumerate(langs):
            s = by_type_lang.get(f"{t}/{lang}")
            if not s or s.get("accuracy") is None:
                continue
            h = plot_h * s["accuracy"]
            x, y = x0 + j * bar_w, top + plot_h - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{LANG_COLORS[lang]}">'
                         f'<title>{escape(t)} / {lang}: {s["accuracy"]:.1%} of {s["n"]}</title></rect>'
                         f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle">{s["accuracy"]:.0%}</text>')
        parts.append(f'<text x="{left + (i + 0.5) * group_w:.1f}" y="{height - bottom + 16}" font-size="11" '
                     f'text-anchor="middle">{escape(t)}</text>')
    for j, lang in enumerate(langs):
        parts.append(f'<rect x="{left + 10 + j * 60}" y="{height - 14}" width="10" height="10" fill="{LANG_COLORS[lang]}"/>'
                     f'<text x="{left + 24 + j * 60}" y="{height - 5}" font-size="11">{lang}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _html_failure(r: dict[str, Any], k: int) -> str:
    cites = "".join(
        f'<div class="cite"><code>{escape(c["id"])}</code> {escape(c.get("section", ""))} — {escape(c.get("quote", "")[:200])}</div>'
        for c in r.get("citations", [])[:k]
    ) or '<div class="cite">no citations</div>'
    answer = r.get("error") or r.get("answer") or ""
    return (f'<div class="fail"><h3><code>{escape(r["id"])}</code> {escape(r["type"])}/{escape(r["lang"])} — {escape(_why(r))}</h3>'
            f'<dl><dt>Question</dt><dd>{escape(r["question"])}</dd><dt>Gold</dt><dd>{escape(r["gold"])}</dd>'
            f'<dt>Answer</dt><dd>{escape(answer)}</dd><dt>Citations</dt><dd>{cites}</dd></dl></div>')


def render_html(data: dict[str, Any], diff: RunDiff | None = None) -> str:
    """report.html: one file, inline CSS and SVG, no external assets."""
    overall = data["summary"]["overall"]
    summary_rows = "".join(f"<tr><td>{escape(label)}</td><td>{escape(fmt(m, overall.get(m)))}</td><td>{overall.get(n, 0)}</td></tr>"
                           for m, label, n in ROWS)
    body = [f"<h1>ReportQA eval</h1><p class=\"meta\">{escape(_header(data))}</p>",
            f"<h2>Summary</h2><table><thead><tr><th>metric</th><th>value</th><th>n</th></tr></thead><tbody>{summary_rows}</tbody></table>",
            "<h2>Accuracy by type × language</h2>", accuracy_chart(data["summary"]["by_type_lang"]),
            "<h2>By type</h2>", _html_group_table(data["summary"]["by_type"], "type"),
            "<h2>By language</h2>", _html_group_table(data["summary"]["by_lang"], "lang"),
            "<h2>By type × language</h2>", _html_group_table(data["summary"]["by_type_lang"], "type/lang")]
    d = _diff(data, diff)
    if d:
        rows = "".join(
            f'<tr><td>{escape(m)}</td><td>{escape(fmt(m, v["before"]))}</td><td>{escape(fmt(m, v["after"]))}</td>'
            f'<td class="{ {True: "good", False: "bad", None: ""}[improved(m, v["delta"])] }">{escape(fmt_delta(m, v["delta"]))}</td></tr>'
            for m, v in d["deltas"].items()
        )
        flips = "".join(f"<li><b>{escape(f['before'])} → {escape(f['after'])}</b> <code>{escape(f['id'])}</code> {escape(f['question'])}</li>"
                        for f in d["flipped"])
        body += [f"<h2>Against baseline <code>{escape(d['baseline'])}</code></h2>",
                 f"<table><thead><tr><th>metric</th><th>before</th><th>after</th><th>Δ</th></tr></thead><tbody>{rows}</tbody></table>",
                 f"<p>Flipped items: {len(d['flipped'])}</p><ul>{flips}</ul>"]
    failures = _failures(data)
    body += [f"<h2>Failures ({len(failures)})</h2>", *(_html_failure(r, data["k"]) for r in failures)]
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ReportQA eval</title>"
            f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n")

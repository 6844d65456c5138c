"""Every sentence the edition writes about its data, built from a data
directory the way the pages build them: what the perturbation tests
(tests/test_prose.py) read on changed copies of data/, and make bench
times. Apart from sobook.statements (the words and their rules), which the
charts, the outlook and the front page use: this module uses them all.

    from sobook import sentences
    for s in sentences.of(data_dir): s.where, s.text, s.kind, s.statements, s.values
"""

from __future__ import annotations

from sobook.statements import Sentence, flatten, numbers_of


def _values(frames) -> tuple:
    return tuple(float(v) for df in frames if "value" in df.columns for v in df["value"] if v == v)


def of(data_dir):
    """Every sentence the edition writes about the data in `data_dir`: the
    charts' subtitles, alt texts and notes; the outlook's forecasts in short,
    tests, figures, findings, caveats and verdicts, and its summary; the
    front page's key figures; the ledger's summary, its lists of statements
    that do not hold and its translator's notes on them in the chapters."""
    import re
    from pathlib import Path

    from sobook import charts, data, fared, front, ledger
    from sobook.charts import registry

    data_dir = Path(data_dir)
    frames = data.load_all(data_dir)
    for fig in charts.ids():
        reader = registry.Data(data_dir)
        out = registry.spec(fig, data_dir, reader)
        found = tuple(out.get("statements", ()))
        vals = _values(reader.read()) + tuple(numbers_of(found))
        for kind, key in (("subtitle", "subtitle"), ("alt", "alt_text"), ("note", "caption_note")):
            if out.get(key):
                yield Sentence(f"{fig} {kind}", str(out[key]), kind, found, vals)
    items = fared.assess(data_dir)
    for a in items:
        vals = _values(frames[n] for n in a.resources) + tuple(numbers_of(a.statements)) + tuple(flatten(a.numbers))
        for kind in ("forecast", "test", "basis", "finding", "caveat"):
            if getattr(a, kind):
                yield Sentence(f"fared {a.key} {kind}", getattr(a, kind), kind, tuple(a.statements), vals)
        for text in [*a.computed, *(o.text for o in a.outcomes)]:
            yield Sentence(f"fared {a.key} figures", text, "figures", tuple(a.statements), vals)
        yield Sentence(f"fared {a.key} verdict", a.verdict.value, "verdict", (), vals)
    inventory = fared.inventory(data_dir, items)
    counts = (inventory["sentences"], inventory["assessed"], inventory["items"],
              sum(len(v) for v in inventory["left_out"].values()), *(len(v) for v in inventory["left_out"].values()),
              *fared.tally(items).values())
    for n, text in enumerate(fared.summary_sentences(data_dir, items), start=1):
        yield Sentence(f"fared summary {n}", text, "summary", (), tuple(map(float, counts)))
    everything = _values(frames.values())
    for n, k in enumerate(front.key_figures(data_dir), start=1):
        yield Sentence(f"front {n}", f"{k.value} {k.label} ({k.detail})", "key figure", tuple(k.statements), everything)
    df = ledger.compute(data_dir)
    recomputed = tuple(float(v) for v in df["recomputed"] if v == v)
    counted = tuple(flatten(ledger.summary(df)))
    for n, text in enumerate(re.split(r"\n\n+", ledger.summary_markdown(df) + ledger.failures_markdown(df)), 1):
        if text.strip() and not text.startswith("<ul"):
            yield Sentence(f"ledger summary {n}", _plain(text), "summary", (), counted)
    lists = "".join(ledger.failures_html(df, section) for section in ("report", "comparison"))
    for li in re.findall(r"<li>(.*?)</li>", lists):
        text = _plain(li)
        yield Sentence(f"ledger {text.split()[0].rstrip(',')}", text, "ledger", (), everything + recomputed)
    for r in df[df["verdict"].isin(ledger.FAILS)].to_dict("records"):
        yield Sentence(f"ledger note {r['claim_id']}", _plain(ledger.note_markdown(r)), "ledger", (),
                       everything + recomputed)


def _plain(markup: str) -> str:
    """Text as a reader sees it: HTML tags, MyST links, emphasis and escapes taken out."""
    import html
    import re

    text = re.sub(r"<[^>]+>", "", markup)
    text = re.sub(r"\[([^\]]*)\]\(#[^)]*\)", r"\1", text)
    text = re.sub(r"(?<!\\)\*+", "", text)
    return html.unescape(re.sub(r"\\(.)", r"\1", " ".join(text.split())))

"""Checks on data/source/original.json (the cleaned Chinese original) and its
loader, sobook.source, against the raw PDF extraction."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from sobook import source

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "source" / "raw" / "000_cda6d01fc6b0598a.txt"
ORIGINAL = ROOT / "data" / "source" / "original.json"

# "CJK" as these tests use the word:
#   U+3400-U+4DBF, U+4E00-U+9FFF  CJK Unified Ideographs (and Extension A)
#   U+3000-U+303F                 CJK Symbols and Punctuation (、。《》〔〕 ...)
#   U+FF01-U+FF60                 full-width forms (（），：；＋ ...)
#   U+201C, U+201D                “ ” (the quotation marks of Chinese text)
# The dash — (U+2014) is NOT counted as CJK: it stands between numbers
# (2015—2020). Half-width digits, Latin letters, %, ., -, : are not CJK either.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff01-\uff60\u201c\u201d"
CJK_RUN = re.compile(f"[{CJK}]+")
SPACE_NEXT_TO_CJK = re.compile(f"(?<=[{CJK}]) +| +(?=[{CJK}])")
MARKER = re.compile(r"\[\^fn(\d+)\]")
RUNNING_HEAD = "“十三五”发展成就及“十四五”展望"

ID_RE = re.compile(
    r"^(?:s[12](?:\.[1-9]\d*){0,2}-(?:h|p[1-9]\d*)"
    r"|fn[1-9]\d*"
    r"|fig1-(?:[1-9]|1[0-2])-(?:caption|source|note))$"
)
KINDS = {"heading", "paragraph", "footnote", "figure_caption", "figure_source", "figure_note"}

HEADINGS = [
    ("s1-h", 1, "第一节 “十三五”主要成就"),
    ("s1.1-h", 2, "一、“十三五”目标圆满完成"),
    ("s1.2-h", 2, "二、结构优化取得重要进展"),
    ("s1.3-h", 2, "三、市场主体稳步发展壮大"),
    ("s1.4-h", 2, "四、稳定就业发挥新作用"),
    ("s1.5-h", 2, "五、国际市场合作成绩斐然"),
    ("s1.6-h", 2, "六、科技创新成为增长引擎"),
    ("s1.7-h", 2, "七、服务外包示范城市引领支撑作用不断发挥"),
    ("s1.8-h", 2, "八、促进体系基本建立"),
    ("s2-h", 1, "第二节 “十四五”发展展望"),
    ("s2.1-h", 2, "一、发展趋势"),
    ("s2.1.1-h", 3, "（一）专业化分工深化，全球服务外包市场将更加广阔"),
    ("s2.1.2-h", 3, "（二）高端化转型升级提速，大额合同业务日益增长"),
    ("s2.1.3-h", 3, "（三）新区域主义兴起，近岸服务外包乘势而上"),
    ("s2.1.4-h", 3, "（四）数字服务需求旺盛，数字交付能力日渐成为国际竞争合作新优势"),
    ("s2.1.5-h", 3, "（五）配置全球资源要素，对外发包方兴未艾"),
    ("s2.2-h", 2, "二、发展机遇"),
    ("s2.2.1-h", 3, "（一）数字技术创新，催生数字化转型机遇"),
    ("s2.2.2-h", 3, "（二）“两业融合”、“双线融合”，带来协同发展机遇"),
    ("s2.2.3-h", 3, "（三）“双碳战略”，驱动绿色发展机遇"),
    ("s2.2.4-h", 3, "（四）包容合作，深化更高水平开放机遇"),
    ("s2.2.5-h", 3, "（五）国际产业转移，投资贸易一体化机遇"),
    ("s2.3-h", 2, "三、面临挑战"),
    ("s2.4-h", 2, "四、发展展望"),
]

# Spaces between two CJK characters that are in the printed text, not PDF
# artefacts (the only ones the extraction has besides the letter-spaced
# running head).
GENUINE_CJK_SPACES = {"s1-h": 1, "s2-h": 1, "fn7": 2}

# Footnote numbers as printed (numbering restarts on each page); they are
# dropped from the cleaned text: the references become [^fnN] markers and
# the footnote blocks lose their leading number.
PRINTED_FOOTNOTE_NUMBERS = ["1", "1", "1", "2", "1", "1", "2", "1"]


# ---------------------------------------------------------------- helpers

def squeeze(s: str) -> str:
    """Drop the spaces that touch a CJK character."""
    return SPACE_NEXT_TO_CJK.sub("", s)


def raw_body() -> str:
    """The raw extraction without running heads and page numbers, its lines
    stripped and joined with nothing between them."""
    lines = [l.strip() for l in RAW.read_text(encoding="utf-8").split("\n")]
    out, after_head = [], False
    for l in lines:
        if not l:
            continue
        if l.replace(" ", "") == RUNNING_HEAD:
            after_head = True
            continue
        if after_head and l.isdigit():
            after_head = False
            continue
        after_head = False
        out.append(l)
    return "".join(out)


def doc() -> dict:
    return source.load()


def blocks() -> list[dict]:
    return doc()["blocks"]


def ids() -> list[str]:
    return [b["id"] for b in blocks()]


def clean_texts() -> list[str]:
    return [squeeze(source.plain(b["text"])) for b in blocks()]


def covered(run: str, texts: list[str]) -> bool:
    """Is `run` made of pieces of block texts, joined only where the text
    really goes on in another block? Joining the raw lines runs one
    paragraph into the next, a paragraph into a figure caption or footnote
    that interrupts it, and back. So each piece must occur in some block,
    and at each join either the piece before ends a block or the piece
    after begins one."""
    hay = "\x00".join(texts)
    n = len(run)
    todo, seen = [(0, True)], {(0, True)}
    while todo:
        i, after_block_end = todo.pop()
        j = i + 1
        while j <= n and run[i:j] in hay:
            piece = run[i:j]
            if after_block_end or any(t.startswith(piece) for t in texts):
                ends_block = any(t.endswith(piece) for t in texts)
                if j == n:
                    return True
                for state in {(j, ends_block), (j, False)}:
                    if state not in seen:
                        seen.add(state)
                        todo.append(state)
            j += 1
    return False


def pieces_in(run: str, hay: str) -> int:
    """How many pieces, each a substring of `hay`, `run` splits into when
    the longest possible piece is taken each time (a large number when it
    cannot be split at all)."""
    count, i = 0, 0
    while i < len(run):
        j = len(run)
        while j > i and run[i:j] not in hay:
            j -= 1
        if j == i:
            return 10**6
        count, i = count + 1, j
    return count


# ---------------------------------------------------------------- file

def test_file_is_canonical_json():
    text = ORIGINAL.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == ["bibliography", "blocks"]
    assert text == json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    for b in data["blocks"]:
        assert list(b) == ["id", "kind", "level", "page", "text"], b["id"]


def test_bibliography():
    bib = doc()["bibliography"]
    assert bib["running_head"] == RUNNING_HEAD
    assert bib["pages_seen"] == [12, 15, 17]
    assert bib["forecasts_by"]["zh"] == "中国服务外包研究中心"
    for unknown in ("title", "container_title", "author", "publisher", "year", "isbn", "url"):
        assert bib[unknown] is None, unknown
    assert "2019—2021年连续三年" in squeeze(bib["date_evidence"])
    assert bib["notes"]


# ---------------------------------------------------------------- lossless

def test_every_raw_cjk_run_is_in_the_clean_text():
    texts = clean_texts()
    runs = CJK_RUN.findall(squeeze(raw_body()))
    missing = [r for r in runs if not covered(r, texts)]
    assert not missing, "raw CJK runs missing from original.json:\n" + "\n".join(missing)


def test_no_cjk_run_is_added():
    raw = squeeze(raw_body())
    added = []
    for b in blocks():
        # markers are kept here so that they split runs as the digits do in the raw
        for r in CJK_RUN.findall(squeeze(MARKER.sub("|", b["text"]))):
            # a re-joined paragraph gives one run across the junction: 2 pieces
            if pieces_in(r, raw) > 2:
                added.append(f"{b['id']}: {r}")
    assert not added, "CJK runs not in the raw extraction:\n" + "\n".join(added)


def test_characters_are_those_of_the_raw():
    raw = Counter(raw_body().replace(" ", ""))
    clean = Counter("".join(source.plain(b["text"]) for b in blocks()).replace(" ", ""))
    assert clean - raw == Counter(), "characters added"
    assert raw - clean == Counter(PRINTED_FOOTNOTE_NUMBERS * 2), "characters lost"


def test_no_extraction_artefacts_left():
    for b in blocks():
        t = b["text"]
        assert t and t == t.strip(), b["id"]
        assert not re.search(r"[\n\f\t]|  ", t), b["id"]
        assert "十 三 五" not in t, b["id"]
        stray = SPACE_NEXT_TO_CJK.findall(t)
        assert len(stray) == GENUINE_CJK_SPACES.get(b["id"], 0), (b["id"], t)


# ---------------------------------------------------------------- structure

def test_ids_unique_and_well_formed():
    all_ids = ids()
    assert len(all_ids) == len(set(all_ids))
    bad = [i for i in all_ids if not ID_RE.match(i)]
    assert not bad, bad


def test_kinds_levels_pages():
    for b in blocks():
        assert b["kind"] in KINDS, b["id"]
        if b["kind"] == "heading":
            assert b["id"].endswith("-h")
            assert b["level"] == b["id"][:-2].count(".") + 1, b["id"]
        else:
            assert b["level"] is None, b["id"]
        assert b["page"] is None or isinstance(b["page"], int), b["id"]
    pages = [b["page"] for b in blocks() if b["page"] is not None]
    assert pages == sorted(pages)


def test_heading_sequence():
    got = [(b["id"], b["level"], b["text"]) for b in blocks() if b["kind"] == "heading"]
    assert got == HEADINGS


def test_paragraphs_numbered_within_innermost_heading():
    current, expected = None, 0
    for b in blocks():
        if b["kind"] == "heading":
            current, expected = b["id"][:-2], 1
        elif b["kind"] == "paragraph":
            assert b["id"] == f"{current}-p{expected}", b["id"]
            expected += 1


def test_footnotes_match_markers():
    fn_blocks = [b["id"] for b in blocks() if b["kind"] == "footnote"]
    assert fn_blocks == [f"fn{i}" for i in range(1, len(fn_blocks) + 1)]
    assert len(fn_blocks) == 8
    markers = [f"fn{m}" for b in blocks() for m in MARKER.findall(b["text"])]
    assert markers == fn_blocks  # each once, in reading order
    for b in blocks():
        if b["kind"] != "paragraph":
            assert not MARKER.search(b["text"]), b["id"]
        assert not re.search(r"\[\^|\^fn", MARKER.sub("", b["text"])), b["id"]


def test_footnote_follows_its_paragraph():
    bl = blocks()
    where = {b["id"]: i for i, b in enumerate(bl)}
    for b in bl:
        for n in MARKER.findall(b["text"]):
            i, j = where[b["id"]], where[f"fn{n}"]
            assert j > i, n
            assert all(x["kind"] == "footnote" for x in bl[i + 1:j]), n


def test_figures():
    bl = blocks()
    caps = [b["id"] for b in bl if b["kind"] == "figure_caption"]
    assert caps == [f"fig1-{n}-caption" for n in range(1, 13)]
    where = {b["id"]: i for i, b in enumerate(bl)}
    for n in range(1, 13):
        cap, src = bl[where[f"fig1-{n}-caption"]], bl[where[f"fig1-{n}-caption"] + 1]
        assert re.match(rf"图1-{n}(?!\d)", cap["text"]), cap["text"]
        assert src["id"] == f"fig1-{n}-source" and src["kind"] == "figure_source"
        assert src["text"].startswith("数据来源：")
    notes = [b["id"] for b in bl if b["kind"] == "figure_note"]
    assert notes == ["fig1-10-note", "fig1-11-note"]
    for note in notes:
        assert bl[where[note] - 1]["id"] == note.replace("note", "source")
        assert bl[where[note]]["text"].startswith("注：")


def test_figures_and_footnotes_stand_between_paragraphs():
    bl = blocks()
    for i, b in enumerate(bl):
        if b["kind"] == "figure_caption":
            prev = bl[i - 1]["kind"]
            assert prev in ("paragraph", "footnote", "figure_source", "figure_note"), b["id"]


# ---------------------------------------------------------------- spot checks

def test_spot_checks():
    t = source.text
    assert t("s1.1-p1").startswith("离岸执行额首次突破1000亿美元。")
    assert "年均增长12.6%" in t("s1.1-p1")
    # s1.1-p2 is interrupted in the raw by figure 1-3 and footnote 1
    assert "2020年，我国离岸服务外包占服务出口的比重达37.7%" in t("s1.1-p2")
    assert "可数字化服务出口[^fn1]的主要模式" in t("s1.1-p2")
    assert ids()[ids().index("s1.1-p2"):][:4] == ["s1.1-p2", "fn1", "fig1-3-caption", "fig1-3-source"]
    assert t("fn1").startswith("依据WTO《World Trade Statistical Review 2019》")
    assert "贡献率达8.3%[^fn3]。" in t("s1.4-p1")
    assert "贡献率达8.4%[^fn4]。" in t("s1.4-p1")
    # re-joined across two footnotes and a page break
    assert "又赋能零工经济和自由职业数字化升级。" in t("s1.4-p2")
    assert "十三项国际认证[^fn5]总数达到17879个" in t("s1.6-p2")
    assert t("fn5").startswith("十三项国家认证包括")  # source typo (国际) kept
    assert "纳米技术伏等前沿技术" in t("s2.1.5-p2")  # source typo kept
    assert "2016—2020年[^fn6]，全国31个" in t("s1.7-p1")
    assert "新增从业人员75.2万，同比增长12.2%。" in t("s1.7-p1")
    assert "（商务部 财政部 海关总署公告2018年第105号）" in t("fn7")
    assert "南通、镇江、无锡、杭州、宁波、合肥、南昌" in t("s1.7-p2")
    assert t("s2.1.1-p2").endswith("有望达到2万亿美元。")  # across the page-12 head
    assert "（ISG，Information Services Group）对500万美元以上大额合同监测[^fn8]，" in t("s2.1.2-p3")
    assert t("fn8").startswith("ISG将服务外包分为")
    assert t("fig1-10-caption") == "图1-10 2016—2025年全球离岸服务外包规模及增速"
    assert t("fig1-12-source") == "数据来源：ISG"
    assert t("fig1-11-note") == "注：2016-2020年为测算数据，2021-2025年为预测数据"
    assert "助推制造业数字化解决方案" in t("s2.1.4-p2")  # across the page-15 head
    assert "服务外包与制造业、服务业、农业" in t("s2.2.2-p1")  # across the page-17 head
    assert "2019—2021年连续三年在服贸会上致信、致辞" in t("s2.4-p1")
    assert t("s2.4-p6").endswith("等领域合作取得突破。")
    assert source.block("fig1-10-caption")["page"] == 12
    assert source.block("s2.1.4-p3")["page"] == 15
    assert source.block("s2.2.3-h")["page"] == 17


def test_counts():
    counts = Counter(b["kind"] for b in blocks())
    assert counts == {
        "heading": 24, "paragraph": 52, "footnote": 8,
        "figure_caption": 12, "figure_source": 12, "figure_note": 2,
    }


# ---------------------------------------------------------------- loader

def test_loader():
    assert source.load() is source.load()  # cached
    assert source.load(ORIGINAL) is source.load()
    assert source.blocks() == blocks()
    assert source.block("s1-h")["kind"] == "heading"
    assert source.text("fn2").startswith("新一代信息技术开发应用服务")
    with pytest.raises(KeyError, match="no-such-id"):
        source.block("no-such-id")


def test_plain():
    assert source.plain("出口[^fn1]的主要模式") == "出口的主要模式"
    assert source.plain("8.3%[^fn3]。其中[^fn12]") == "8.3%。其中"
    assert source.plain("无标记") == "无标记"

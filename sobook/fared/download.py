"""The assessments in the data download (written by the build, so always current)."""

from __future__ import annotations

import pandas as pd

from sobook import data
from sobook.data.descriptor import tabular_resource
from sobook.fared.items import assess
from sobook.fared.verdicts import DEFINITIONS, Verdict

# --------------------------------------------------------------------------
# the assessments in the data download (written by the build, so always current)

DOWNLOAD_NAME = "outlook_assessments"

_DOWNLOAD_FIELDS = [
    ("forecast_id", "string", "Forecast id", "The forecast's id; its section on the page 'How the outlook fared' "
     "is #fared-<id> (forecasts without a section of their own are listed under #fared-other)."),
    ("title", "string", "Title", "The forecast or target, in a few words."),
    ("chapter", "string", "Chapter page", "The page of the book that translates the paragraph."),
    ("paragraph", "string", "Paragraph of the report (block id)", "The block of Section 2 that makes the forecast: "
     "the id of its English paragraph in the book and of the Chinese in data/source/original.json."),
    ("forecast_en", "string", "Forecast (the report's words)", "The report's words, quoted from the edition's "
     "translation ('…' marks omissions)."),
    ("forecast", "string", "Forecast in short", "The forecast in short, with its numbers from the data package."),
    ("target_value", "number", "Target value", "The forecast's figure, where it names one, in the unit of field "
     "'target_unit'."),
    ("target_unit", "string", "Target unit", "Unit of target_value (see the package's 'units')."),
    ("target_period", "string", "Target period", "The year or period the forecast is for."),
    ("test", "string", "Test", "What is compared with what to judge the forecast."),
    ("currency_and_vintage", "string", "Currency and vintage", "The one currency and the one vintage of a series "
     "in which the test compares its figures."),
    ("outcomes", "string", "Figures found", "The figures the test uses, each with its year and what it is "
     "('; '-separated); their rows, sources and quotes are in the data package."),
    ("computed", "string", "Computed by the edition", "The arithmetic the edition did for the test, with its results."),
    ("verdict", "string", "Verdict", "One of the verdict words, each defined in field 'verdict_definition'."),
    ("verdict_definition", "string", "Definition of the verdict", "What the verdict word means (the same for "
     "every forecast)."),
    ("finding", "string", "Why", "The numbers behind the verdict."),
    ("caveat", "string", "Caveat", "How far the figures are comparable with the forecast: currency, vintage, "
     "changes of definition, reprints."),
    ("sources", "string", "Sources", "Who published the figures found, and where ('; '-separated; reprints say so)."),
]


def assessments_table(data_dir) -> pd.DataFrame:
    """One row per forecast or target of Section 2 (the download's 'outlook_assessments.csv')."""
    rows = []
    for a in assess(data_dir):
        rows.append({
            "forecast_id": a.key, "title": a.title, "chapter": a.chapter, "paragraph": a.block,
            "forecast_en": a.quote, "forecast": a.forecast, "target_value": a.target_value,
            "target_unit": a.target_unit, "target_period": a.target_period, "test": a.test,
            "currency_and_vintage": a.basis if a.basis != "—" else "", "outcomes": "; ".join(o.text for o in a.outcomes),
            "computed": " ".join(a.computed), "verdict": a.verdict.value, "verdict_definition": DEFINITIONS[a.verdict],
            "finding": a.finding, "caveat": a.caveat,
            "sources": "; ".join(f"{s} <{u}>" if u else s for s, u in a.sources),
        })
    out = pd.DataFrame(rows, columns=[f[0] for f in _DOWNLOAD_FIELDS])
    out["target_value"] = out["target_value"].astype("float64")
    return out


def assessments_resource(data_dir=None) -> dict:
    """The Frictionless descriptor of assessments_table() as 'outlook_assessments.csv'."""
    desc = data.descriptor(data_dir)
    units = ["US$ billion", "RMB billion", "RMB trillion", "% of total", "% change", "% per year",
             "million persons", "cities"]
    extras = {
        "target_value": {"unit": "per row, in field 'target_unit'"},
        "target_unit": {"constraints": {"enum": units}},
        "verdict": {"constraints": {"required": True, "enum": [v.value for v in Verdict]}},
        "forecast_id": {"constraints": {"required": True, "unique": True}},
        "paragraph": {"constraints": {"required": True}},
        "forecast_en": {"constraints": {"required": True}},
    }
    used = {o.url for a in assess(data_dir or data.DEFAULT_DATA_DIR) for o in a.outcomes if o.url}
    sources = [s for s in desc["sources"] if s["path"].startswith("source/original")]
    sources += [s for s in desc["sources"] if s["path"] in used or s["path"].removeprefix("https://") in used]
    return tabular_resource(
        DOWNLOAD_NAME, _DOWNLOAD_FIELDS, field_extras=extras, primary_key=["forecast_id"],
        title="How the outlook fared: every forecast and target of the report's Section 2 against what was "
              "published afterwards",
        description="One row per forecast or target of Section 2 (2021-2025), in the report's order: the report's "
                    "words, the test (in one currency and one vintage), the figures found, the verdict (one of "
                    f"{len(Verdict)} words, each defined in field 'verdict_definition') and the caveats. Computed by "
                    "sobook/fared/ from the data package when the book is built, so it always matches the data.",
        licenses=desc.get("licenses", []), sources=sources)

"""Every forecast and target of Section 2, in the report's order: those a figure can test and those in
words only."""

from __future__ import annotations

from sobook.fared.facts import Assessment, Facts, _words
from sobook.fared.opportunities import _green, _high_tech_fdi, _investment_driven
from sobook.fared.outlook import (
    _belt_and_road,
    _cities,
    _export_share,
    _hong_kong,
    _jobs,
    _rcep,
    _regions,
    _scale,
    _us_eu,
    _vs_exports,
)
from sobook.fared.trends import (
    _global_size,
    _global_structure,
    _idc,
    _large_contracts,
    _outbound_developed,
    _outbound_developing,
)
from sobook.fared.verdicts import decide

# ---------------------------------------------------------------- in words only

WORDS = [  # (key, chapter, block, title, start, end, lead, verdict: None = not testable)
    ("goal-2035", "opportunities", "s2.2-p1", "The 2035 goal of the guiding opinions on service outsourcing",
     "set the goal that, by 2035", None, "The *Guiding Opinions on Accelerating the Transformation and Upgrading of Service Outsourcing* (Shang Fu Mao Fa [2020] No. 12)", None),
    ("engineering", "trends", "s2.1.1-p4", "Engineering and industrial design outsourcing recovers",
     "Global engineering and industrial design outsourcing is expected to return to growth", None, None, None),
    ("nearshoring", "trends", "s2.1.3-p3", "Closer nearshore outsourcing among RCEP members",
     "its member countries are expected to form more secure", None,
     "As implementation of the Regional Comprehensive Economic Partnership (RCEP) Agreement gathers pace,", None),
    ("integration", "opportunities", "s2.2.2-p1", "Outsourcing integrates with manufacturing, services and agriculture",
     "Service outsourcing is integrating ever more deeply with manufacturing", None, None, None),
    ("open-markets", "opportunities", "s2.2.4-p1", "Favorable conditions for offshore and outbound outsourcing",
     "The ever-widening \"circle of friends\" in foreign trade", None, None, None),
    ("side-by-side", "outlook", "s2.4-p2", "Offshore and onshore outsourcing advance side by side",
     "create a new situation in which offshore and onshore outsourcing advance side by side", None, None, None),
    ("producer-services", "outlook", "s2.4-p3", "The main channel for exports of producer services",
     "[Service outsourcing's] position as the main channel", None, None, None),
    ("leading-enterprises", "outlook", "s2.4-p3", "More leading enterprises",
     "More leading enterprises will emerge", None, None, None),
    ("outbound", "outlook", "s2.4-p3", "Outbound outsourcing develops steadily",
     "Outbound outsourcing will develop steadily", None, None, None),
    ("rd-pharma", "outlook", "s2.4-p3", "R&D, design, testing and maintenance; pharmaceuticals and biotechnology",
     "The outsourcing of producer services such as R&D", None, None, "no_outcome"),
    ("accounting-legal", "outlook", "s2.4-p3", "Accounting, legal and other key fields",
     "Key service outsourcing business areas such as accounting", None, None, None),
    ("manufacturing", "outlook", "s2.4-p3", "Integration with manufacturing",
     "Service outsourcing will be deeply integrated with manufacturing", None, None, None),
    ("new-models", "outlook", "s2.4-p3", "Crowdsourcing and other new models",
     "Crowdsourcing, crowd innovation, platform subcontracting", "widen employment opportunities", None, None),
    ("demonstration-work", "outlook", "s2.4-p4", "Demonstration enterprises, design centers and city standards",
     "The fostering of demonstration enterprises", None, None, None),
    ("cloud", "outlook", "s2.4-p6", "Cloud outsourcing enterprises' international market share",
     "encourage cloud outsourcing enterprises to expand actively into international markets", None,
     "[China will] step up technological innovation and", "no_outcome"),
    ("cee", "outlook", "s2.4-p6", "Central and Eastern Europe",
     "Service outsourcing cooperation with countries in Central and Eastern Europe", None, None, "no_outcome"),
    ("taiwan-strait", "outlook", "s2.4-p6", "Cooperation across the Taiwan Strait",
     "Service outsourcing cooperation between the two sides of the Taiwan Strait", None, None, None),
]

_WORDS_FINDING = {
    "goal-2035": "A goal for 2035, in words, beyond the period the outlook covers.",
    "rd-pharma": "No figure for these fields before and after 2020 was found (the 2025 release gives offshore R&D "
                 "services for one year only, which cannot show a faster pace).",
    "cloud": "No figure for cloud outsourcing enterprises' international market share was found.",
    "cee": "No figure for Central and Eastern Europe after 2020 was found in any full-year release.",
}


def _words_item(spec) -> Assessment:
    key, chapter, block, title, start, end, lead, kind = spec
    verdict = decide(found=False) if kind == "no_outcome" else decide(measurable=False)
    return _words(chapter, block, key, title, start, end, lead=lead, forecast="",
                  verdict=verdict, finding=_WORDS_FINDING.get(key, "The outlook names no figure for it."),
                  section=False)


# In the order of the report.
ITEMS = [_global_size, _global_structure, "engineering", _large_contracts, "nearshoring", _idc,
         _outbound_developing, _outbound_developed, "goal-2035", "integration", _green, "open-markets",
         _investment_driven, _high_tech_fdi, "side-by-side", _scale, _vs_exports, _export_share, "producer-services",
         "leading-enterprises", "outbound",
         "rd-pharma", "accounting-legal", "manufacturing", "new-models", _jobs, "demonstration-work", _cities,
         _regions, "cloud", _belt_and_road, _rcep, "cee", _hong_kong, "taiwan-strait", _us_eu]
_WORDS_BY_KEY = {w[0]: w for w in WORDS}


def assess(data_dir) -> list[Assessment]:
    """Every forecast and target of Section 2, assessed, in the report's order."""
    F = Facts(data_dir)
    return [_words_item(_WORDS_BY_KEY[i]) if isinstance(i, str) else i(F) for i in ITEMS]

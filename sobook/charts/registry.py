"""The charts' registry: one builder per chart id, and the data they read.

    @register("1-4", "Structure of China's service outsourcing ... {years}")
    def fig_1_4(D): ...                       # D("resource") -> validated DataFrame
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sobook import data as sodata

# --------------------------------------------------------------------------
# registry

_BUILDERS: dict[str, Callable] = {}
_TITLES: dict[str, str] = {}


def register(fig_id: str, title: str):
    def deco(fn):
        if fig_id in _BUILDERS:
            raise ValueError(f"chart id {fig_id!r} registered twice")
        _BUILDERS[fig_id] = fn
        _TITLES[fig_id] = title
        return fn

    return deco


def ids() -> list[str]:
    """Every registered chart id: the report's figures first, then the edition's."""

    def key(i):
        return (0, int(i.split("-")[1])) if i.startswith("1-") else (1, int(i[1:]))

    return sorted(_BUILDERS, key=key)


REPORT_FIGURES = [f"1-{n}" for n in range(1, 13)]
_PRESENTATION_COLUMNS = ("Label", "Label (narrow)", "Label colour", "Top", "Base", "Mid", "_fitN", "_fitW", "_nameW", "_nameN",
                         "_lnW", "_lnN")


def edition_charts() -> list[str]:
    return [i for i in ids() if i.startswith("e")]


def spec(fig_id: str, data_dir=None, reader: Data | None = None) -> dict:
    """The keyword arguments of the panel (chart, data, title, ..., and the
    statements its texts make: the Words and computed Operands of
    sobook.statements, which tests/test_statements.py recomputes), without
    wrapping them: what ``build`` hands to ``sobook.charts.panel``."""
    if fig_id not in _BUILDERS:
        raise KeyError(f"no chart with id {fig_id!r} (known: {', '.join(ids())})")
    d = Path(data_dir) if data_dir is not None else sodata.DEFAULT_DATA_DIR
    out = _BUILDERS[fig_id](reader or Data(d))
    out["chart"] = out["chart"].properties(usermeta={"fig_id": fig_id})
    # the reader's table: what is drawn, without the columns that only style marks
    out["data"] = out["data"].drop(columns=[c for c in _PRESENTATION_COLUMNS if c in out["data"].columns])
    out["data"] = out["data"].reset_index(drop=True)
    if "_url" in out["data"].columns:
        # what kind of page each release's address is, as the descriptor declares it
        kinds = {s["path"]: s.get("kind", "") for r in sodata.descriptor(d)["resources"] for s in r.get("sources", [])}
        out["data"]["_kind"] = [kinds.get(u, "") for u in out["data"]["_url"]]
    return out


def build(fig_id: str, data_dir=None):
    """Build chart `fig_id` from the data in `data_dir` (default: the repo's data/)."""
    from sobook.charts.panel import panel

    return panel(fig_id=fig_id, **spec(fig_id, data_dir))


# --------------------------------------------------------------------------
# data access


class Data:
    """Resources of one data directory, each validated once per build."""

    def __init__(self, data_dir: Path):
        self.dir = data_dir
        self._cache: dict[str, pd.DataFrame] = {}

    def __call__(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = sodata.load(name, self.dir)
        return self._cache[name]

    def read(self) -> list[pd.DataFrame]:
        """The resources read so far (for the sentences' numbers: tests/test_prose.py)."""
        return [f for k, f in self._cache.items() if "+" not in k]

    def has(self, name: str) -> bool:
        return name in sodata.resource_names(self.dir)

    def with_outcomes(self, name: str) -> pd.DataFrame:
        """A resource together with its ``<name>_outcomes`` resource, if the
        package has one: the years after the report. The edition's data keeps
        them apart, so that the report's figures stay the report's; a data
        directory may as well hold them in the resource itself (see
        examples/outcomes-2021-2025), which extends the report's figures."""
        key = name + "+outcomes"
        if key not in self._cache:
            frames = [self(name)] + ([self(name + "_outcomes")] if self.has(name + "_outcomes") else [])
            self._cache[key] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return self._cache[key]


def chart_title(fig_id: str, **kw) -> str:
    return _TITLES[fig_id].format(**kw)

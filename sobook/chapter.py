"""The preamble of every chapter notebook: two or three calls, no logic.

    from sobook import chapter
    chapter.setup(data_dir)      # validates the data package; refuses bad data
    chapter.figure("1-4")        # builds the panel and glues it as "fig-1-4"
    chapter.number("x", 12.6)    # glues a number for the edition's own prose
    chapter.claims()             # glues, for each paragraph, "ledger-note-s1.2-p1": the
                                 # ledger's note on what does not hold there (and with
                                 # "C032" named, "claim-C032-recomputed" for the prose)
"""

from __future__ import annotations

from pathlib import Path

_state: dict = {}


def resolve(data_dir: str | Path) -> Path:
    """The data directory a notebook names: absolute as given; relative from
    the notebook's folder (chapters/), then from the working directory
    (papermill run from the repository root keeps the root as its working
    directory)."""
    from sobook import data
    from sobook.paths import CHAPTERS_DIR

    given = Path(data_dir).expanduser()
    if given.is_absolute():
        return given
    tried = [CHAPTERS_DIR / given, Path.cwd() / given]
    for path in tried:
        if (path / data.DESCRIPTOR).is_file():
            return path.resolve()
    raise data.DataError(
        f"data_dir {str(data_dir)!r}: no data package at {tried[0].resolve()} (from the notebook's folder) nor at "
        f"{tried[1].resolve()} (from the working directory); pass an absolute path, e.g. "
        f"papermill -p data_dir \"$PWD/data\" …"
    )


def setup(data_dir: str | Path) -> None:
    """Point the chapter at a data directory and validate it by every rule
    (sobook.data, the one validation path) before any chart is drawn: a
    DataError names the file, row, column and rule, in one line."""
    from sobook import data

    path = resolve(data_dir)
    data.validate(path)
    _state["data_dir"] = path


def data_dir() -> Path:
    if "data_dir" not in _state:
        raise RuntimeError("call chapter.setup(data_dir) first")
    return _state["data_dir"]


def figure(fig_id: str):
    """Build a chart panel and glue it under the name fig-<id>."""
    from myst_nb import glue

    from sobook import charts

    panel = charts.build(fig_id, data_dir())
    # Displayed as well as glued: the executed notebook shows the chart in
    # JupyterLab and nbconvert; the book hides the cell and places the glued
    # panel once, with {glue:figure}.
    glue(f"fig-{fig_id}", panel, display=True)
    return None


def number(name: str, value):
    """Glue a value for {glue:text} in the edition's own prose (displayed in
    the notebook too; the book shows it where the prose names it)."""
    from myst_nb import glue

    glue(name, value, display=True)
    return None


def claims(*claim_ids: str):
    """Glue the claims ledger's results, computed from the chapter's data
    directory, so that no note types a number or a verdict the data could
    change:

    * ``ledger-note-<block>`` for every paragraph (block) with claims: a
      translator's note on each of its checks that does not hold on this data,
      or nothing when all hold (MyST; the chapter places it at the paragraph
      with ```{glue:md} ledger-note-<block>``` and ``:format: myst``);
    * ``claim-<ID>-recomputed`` and ``claim-<ID>-verdict`` for each claim
      named (the recomputed value with its unit, "34.155%", and the verdict),
      for a translator's note of the chapter's own."""
    from myst_nb import glue

    from sobook import ledger

    df = ledger.compute(data_dir()).set_index("claim_id", drop=False)
    unknown = [c for c in claim_ids if c not in df.index]
    if unknown:
        raise KeyError(f"no claim {unknown[0]!r} in {data_dir() / 'claims.csv'}")
    for block, note in ledger.paragraph_notes(df).items():
        glue(f"ledger-note-{block}", ledger.show(note), display=False)
    for cid in claim_ids:
        row = df.loc[cid]
        if row["verdict"] == "not checkable":
            raise ValueError(f"claim {cid} is not checkable: there is no recomputed value to glue")
        glue(f"claim-{cid}-recomputed", ledger.recomputed_text(row), display=True)
        glue(f"claim-{cid}-verdict", row["verdict"], display=True)
    return None

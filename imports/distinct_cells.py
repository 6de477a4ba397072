"""A column of raw cells as its distinct values, so that each value is converted only once.

An export of a million posting lines has a few hundred booking days, a few thousand accounts,
products and texts, and fewer distinct amounts than lines: parsing every distinct value once and
spreading the results back over the rows does the same work as converting every cell, at a
fraction of the cost. The converters in `imports.german_values` depend on nothing but the cell,
so the result is the same cell for cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl

_TYPE_OF = np.frompyfunc(type, 1, 1)


@dataclass(frozen=True)
class DistinctCells:
    """values: each distinct cell once (the last one is None and stands for every missing cell:
    None, NaN, NaT); codes: for every row, the position of its cell in `values`."""

    values: pd.Series
    codes: np.ndarray
    index: pd.Index

    @classmethod
    def of(cls, cells: pd.Series) -> DistinctCells:
        raw = cells.to_numpy(dtype=object)
        if bool in set(_TYPE_OF(raw)):
            # Python counts True == 1 == 1.0, so hashing would merge a boolean cell with a
            # number; such a rare column is converted cell by cell.
            distinct = pd.Series(raw, dtype=object)
            return cls(distinct, np.arange(len(raw)), cells.index)
        codes, uniques = pd.factorize(raw)
        codes[codes < 0] = len(uniques)
        distinct = pd.Series([*uniques, None], dtype=object)
        return cls(distinct, codes, cells.index)

    @classmethod
    def of_text(cls, cells: pl.Series, index: pd.Index) -> DistinctCells:
        """The same from a text column (`imports.readers.text_columns`), found in Rust: only
        the distinct texts become Python objects."""
        frame = cells.to_frame("cell")
        distinct = frame.drop_nulls().unique().with_row_index("code")
        # A missing cell finds no partner and gets the code of the trailing None.
        codes = frame.join(distinct, on="cell", how="left", maintain_order="left")["code"]
        codes = codes.fill_null(distinct.height).cast(pl.Int64)
        values = pd.Series([*distinct["cell"].to_list(), None], dtype=object)
        return cls(values, codes.to_numpy(), index)

    def cell(self, number: object) -> object:
        """The cell of the row labelled `number` in `index`."""
        return self.values.iloc[self.codes[self.index.get_loc(number)]]

    def spread(self, converted: pd.Series) -> pd.Series:
        """A result computed on `values`, one per distinct cell, as one value per row."""
        return pd.Series(converted.array.take(self.codes), index=self.index, name=converted.name)

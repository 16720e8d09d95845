"""Hand whole sessions to a function, a bounded batch at a time.

The projection needs every line of a session at once, but never the whole corpus: rows
arrive sorted by ``session_id`` and are cut into tables of whole sessions of about
``target_rows`` rows. This is the DuckDB-side twin of Spark's
``repartition(session_id) + sortWithinPartitions + mapInArrow``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pyarrow as pa

DEFAULT_TARGET_ROWS = 50_000


def whole_sessions(
    batches: Iterable[pa.RecordBatch],
    key: str = "session_id",
    target_rows: int = DEFAULT_TARGET_ROWS,
) -> Iterator[pa.Table]:
    """Regroup record batches sorted by ``key`` into tables that never split a session."""
    pending: list[pa.RecordBatch] = []
    pending_rows = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        pending_rows += batch.num_rows
        if pending_rows < target_rows:
            continue
        table = pa.Table.from_batches(pending)
        keys = table.column(key).to_numpy(zero_copy_only=False)
        last = keys[-1]
        # the rows of the last session may continue in the next batch: keep them back
        cut = int(np.searchsorted(keys == last, True)) if keys[0] != last else 0
        if cut == 0:
            continue  # one session larger than target_rows: keep reading until it ends
        yield table.slice(0, cut)
        rest = table.slice(cut)
        pending = rest.to_batches()
        pending_rows = rest.num_rows
    if pending_rows:
        yield pa.Table.from_batches(pending)


def map_sessions(
    batches: Iterable[pa.RecordBatch],
    function: Callable[[pa.Table], pa.Table],
    schema: pa.Schema,
    key: str = "session_id",
    target_rows: int = DEFAULT_TARGET_ROWS,
) -> pa.RecordBatchReader:
    """Stream ``function`` over whole sessions; the result is a reader of ``schema``."""

    def results() -> Iterator[pa.RecordBatch]:
        for table in whole_sessions(batches, key=key, target_rows=target_rows):
            yield from function(table).cast(schema).to_batches()

    return pa.RecordBatchReader.from_batches(schema, results())


def split_sessions(table: pa.Table, key: str = "session_id") -> Iterator[pa.Table]:
    """Split a table sorted by ``key`` into one table per session."""
    if table.num_rows == 0:
        return
    keys = table.column(key).to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    ends = np.concatenate([starts[1:], [len(keys)]])
    for start, end in zip(starts, ends, strict=True):
        yield table.slice(int(start), int(end - start))

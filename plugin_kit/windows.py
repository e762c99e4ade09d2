"""Windows of a series: the part of a run's rows that a card shows, and only that part as JSON."""

import bisect


def step_of(datum):
    """A datum's step: the key by which a series is sorted."""
    return datum.step


def card_window(data, bound, rows_json, rows_key, latest=None, step_min=None, step_max=None, earliest=None):
    """A card's answer for one run: how many rows it keeps, and the JSON of the window asked for.

    Args:
      data: The run's data (the data provider's tensor data), sorted by step.
      bound: How many data a tag keeps (the loaders' sample size).
      rows_json: Turns a list of data into their rows' JSON.
      rows_key: The answer's key for the window's rows ("rows" by default: the plugin's `rows_key`).
      latest: At most this many of the window's latest rows; None: all of them.
      step_min: The window's first step, included; None: from the first.
      step_max: The window's last step, included; None: to the last.
      earliest: At most this many of the window's earliest rows; None: all of them. A card pages
        forward through a long run with it, as it pages back with `latest`.

    Returns:
      {"total": len(data), "sampled": whether `data` reached `bound` (so that the run may have
      written more than it keeps), "start": the earliest wall time of all the run's data (None if
      it has none), "offset": how many of the run's rows come before the window, rows_key: [row
      JSON]}. Only the window becomes JSON: a card of a few rows costs as much whatever the run holds.
    """
    first = 0 if step_min is None else bisect.bisect_left(data, step_min, key=step_of)
    stop = len(data) if step_max is None else bisect.bisect_right(data, step_max, key=step_of)
    if latest is not None:
        first = max(first, stop - latest)
    if earliest is not None:
        stop = min(stop, first + earliest)
    return {
        "total": len(data),
        "sampled": len(data) >= bound,
        "start": min((datum.wall_time for datum in data), default=None),
        "offset": first,
        rows_key: rows_json(data[first:stop]),
    }

"""Searching the greetings' text, so that the dashboard finds greetings that are not on screen."""

# The most matches one answer carries; `total` still counts them all. Enough to scan, few enough that
# a search matching every greeting of a large logdir answers at once.
MATCH_LIMIT = 200


def find(greetings_by_tag, query, limit=MATCH_LIMIT):
    """The greetings whose text contains `query`, ignoring case, in tag, run and step order.

    A plain substring rather than a regular expression: the server runs it, and a user's expression
    could take exponential time.

    Args:
      greetings_by_tag: {tag: {run: [{"wall_time", "step", "text"}]}}, each run's greetings by step.
      query: The text to look for; not empty.
      limit: The most matches to return.

    Returns:
      {"query": query, "total": how many greetings match, "matches": the first `limit` of them, each
      a greeting with its "run" and "tag"}.
    """
    needle = query.casefold()
    matches = [
        {"run": run, "tag": tag, **greeting}
        for tag in sorted(greetings_by_tag)
        for run in sorted(greetings_by_tag[tag])
        for greeting in greetings_by_tag[tag][run]
        if needle in greeting["text"].casefold()
    ]
    return {"query": query, "total": len(matches), "matches": matches[:limit]}

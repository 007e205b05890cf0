"""Statistical disclosure control and the statistics shown beside it: pure functions of counts,
with no Flask and no database, so that they can be attacked by property tests alone."""

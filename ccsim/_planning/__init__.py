"""Private helpers of :mod:`ccsim.planning` (targets, evaluation by simulation, the search)."""

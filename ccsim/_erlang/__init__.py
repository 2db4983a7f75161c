"""Private helpers of :mod:`ccsim.erlang`."""

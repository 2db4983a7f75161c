"""Private helpers of :mod:`ccsim.center`: key-path checks, per-interval CSV files, sections."""

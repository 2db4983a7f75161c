"""Private helpers of :mod:`ccsim.shifts`."""

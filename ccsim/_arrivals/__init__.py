"""Private helpers of :mod:`ccsim.arrivals`."""

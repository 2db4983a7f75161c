"""Private helpers of :mod:`ccsim.io`."""

"""Private helpers of :mod:`ccsim.staffing`."""

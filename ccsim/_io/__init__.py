"""Private helpers of :mod:`ccsim.io`.

``files``: open a file and read it, naming every library error; ``values`` and
``dates``: read cells strictly (numbers, durations, clock times, dates without
guessing the day/month order); ``calls``: call logs into the call table;
``reports``, ``report_columns`` and ``grid``: ACD interval reports into the history
table (columns, cells, interval grid, opening hours, daylight saving).
"""

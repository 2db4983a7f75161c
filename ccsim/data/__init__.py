"""Data files shipped with ccsim (read them with :func:`ccsim.io.load_example_calls`).

See ``README.md`` in this folder for their source, licence and how they were made.
"""

"""The classifier: which calendar entries are meetings with interest representatives, and why.

Pure functions over an event's text and an index of the directory, so the same verdict comes out
at ingest, on reclassification, in `register classify` and in the benchmark.
"""

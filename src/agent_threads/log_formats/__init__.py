"""What the agents write, version by version: builders of the parts of their log lines.

The sample generator (`scripts/generate_sample_logs.py`) and the benchmark's corpus
generator (`bench/generate_corpus.py`) both build lines with these, so a shape that
differs by client version is written once. The sources of ../shared/formats/ say which
version writes which shape; docs/formats.md lists what the project reads.
"""

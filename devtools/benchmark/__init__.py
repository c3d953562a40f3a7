"""The measures of `make bench`, apart from its command: timings, the province, the verdicts."""

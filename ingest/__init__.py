"""Ingestion: read files, recover their structure and tables, cut them into chunks."""

# Bump when parsing, table reconstruction or chunking changes what a file yields:
# every document is then re-ingested once, even if its text did not change.
PARSER_VERSION = 12  # 12: structure from general cues for texts of no bundled layout

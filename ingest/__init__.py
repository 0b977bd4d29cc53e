"""Ingestion: read files, recover their structure and tables, cut them into chunks."""

# Bump when parsing, table reconstruction or chunking changes what a file yields:
# every document is then re-ingested once, even if its text did not change.
PARSER_VERSION = 13  # 13: pipe tables read as printed; 12: structure from general cues

"""Fixity audits: the archived objects re-read and re-hashed against the SHA-256 recorded at
ingest, with reports, flags on the records and a periodic run in the server."""

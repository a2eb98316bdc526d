"""Provision and run the project's own Neo4j and MinIO, because these machines have no Docker."""

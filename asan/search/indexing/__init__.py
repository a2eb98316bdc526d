"""The change-log indexer and the rebuild: the only writers of a search index directory."""

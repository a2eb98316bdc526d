"""The archive's pages: nomenclature, cases and holds, transfer inventories, the disposal
calendar and destruction acts (docs/web-archive.md)."""

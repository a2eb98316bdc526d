"""Drafts, visas and signing in the clerks' workspace (docs/web-approvals.md)."""

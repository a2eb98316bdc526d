"""Automatic filing: documents go into the open case their card's index names, at registration
(incoming documents, and drafts when they are signed and numbered) and at completion (when an
incoming document is taken off control or filed without action)."""

"""BagIt export and import of permanent cases (issue 11, point 6)."""

"""The reports' pages: charts and tables of the EDMS reports, with their downloads."""

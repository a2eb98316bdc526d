"""The nomenclature of cases per year: drafted by units, compiled, approved, copied on."""

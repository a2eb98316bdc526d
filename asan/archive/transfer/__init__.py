"""Transfer inventories (təhvil siyahısı, opis): cases handed from a unit's archive to the
agency's archive, accepted by an archivist, then ingested into the Object Lock bucket."""

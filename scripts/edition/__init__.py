"""Build pipeline of the Việt–Xô/Nga digital edition: sources → corpus → validate → enrich → render → site."""

"""Translations: the checker, staleness stamps, the status table, the glossary, new languages."""

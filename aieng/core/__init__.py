"""The bottom layer: the result cache, languages, the string table and the package's paths."""

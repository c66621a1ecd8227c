"""The website: the one MkDocs plugin and its parts (the only layer that imports MkDocs)."""

"""The chapter importer: repairs UTF-8 that was decoded as Windows-1254 and lost bytes."""

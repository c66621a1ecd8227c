"""Text: tokenizers, letter statistics, the Markdown page parser and the Shakespeare corpus."""

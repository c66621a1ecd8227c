"""The command line, ``python -m aieng``: parses arguments and prints what the packages return."""

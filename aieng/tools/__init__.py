"""Tools: building the site, driving a browser, and the benchmarks."""

"""Speed figures with their floors, printed as JSON: ``python -m benchmarks <name>``."""

"""Till UI tests: pytest-qt with real widgets on a real SQLite till, offscreen."""

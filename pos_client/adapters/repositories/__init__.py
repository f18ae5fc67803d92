"""Repositories: the only code that turns rows into domain objects and back."""

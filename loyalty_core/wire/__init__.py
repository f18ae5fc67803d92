"""Versioned wire schemas: what a till sends the server and the server sends back.

One pydantic model per kind of fact, each carrying its schema version (``v``). The
till builds its outbox events only through these models and the server parses
them with the same models, so both sides agree on every field. Older versions stay
accepted: a till in the field may run an older release.
"""

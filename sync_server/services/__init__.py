"""Use cases of the server, written against ports (protocols), never against SQL.

Routes in ``sync_server.api`` call these; ``sync_server.adapters`` implements the
ports; ``sync_server.app`` wires one to the other.
"""

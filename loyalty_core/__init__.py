"""Pure loyalty domain shared by the till and the server.

Nothing here imports Qt, a database driver or any other package of ours.
"""

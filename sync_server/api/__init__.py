"""HTTP routes: parse, call a service, return a wire schema. No SQL here
(import-linter checks it); collaborators arrive through ``sync_server.deps``."""

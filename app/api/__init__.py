"""Read-only JSON API, described by openapi.json (served at /api/openapi.json)."""

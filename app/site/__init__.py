"""The public face: home page, language choice, health check."""

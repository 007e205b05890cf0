"""Charts and maps, drawn from protected figures only."""

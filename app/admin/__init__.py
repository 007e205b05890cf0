"""Administration pages: accounts for now."""

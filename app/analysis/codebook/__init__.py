"""The committee's codebook: codes (themes) given to free-text answers, and the lists of those
answers they read and code."""

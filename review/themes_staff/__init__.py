"""The staff app's theme pages: codebook, coding, findings, and the background refresh."""

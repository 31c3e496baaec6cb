"""The staff app's theme pages: codebook, coding, findings, discovery of new themes, and the
background work behind them (refreshing suggestions, grouping unthemed answers)."""

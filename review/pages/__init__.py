"""The staff app's newer pages and helpers: readable labels, per-question answers, staff accounts."""

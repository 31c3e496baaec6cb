"""Speak Up: the conversation engine, app factory, storage and command line."""

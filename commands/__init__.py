"""The command line: ``speakup serve``, data commands and provider set-up."""

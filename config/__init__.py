"""Configuration both the server and the commands read: ``config.yml`` and the environment."""

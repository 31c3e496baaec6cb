"""The web server: the ASGI app, web chat and webhook routes, the message service and its workers."""

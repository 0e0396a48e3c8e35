"""Rasa input channels of our own: the REST channel that takes the client's message id (the pages are mounted as one
more channel by bot.web.pages)."""

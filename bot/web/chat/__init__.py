"""The owners' chat page at /chat/: bot.web.chat.server and the page's static files."""

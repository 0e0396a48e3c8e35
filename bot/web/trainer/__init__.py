"""The training simulator at /trainer/: bot.web.trainer.server and the page's static files."""

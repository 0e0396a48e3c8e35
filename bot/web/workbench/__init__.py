"""The policy workbench at /workbench/: bot.web.workbench.server and the page's static files."""

"""The pages the assistant serves itself, one folder per page beside its server module (bot.web.pages says how a
page is made), with what every page shares: access rules, replies, static files and a conversation's history."""

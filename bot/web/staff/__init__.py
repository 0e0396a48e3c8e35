"""The staff sign-in at /staff/ and the gate every staff request goes through: bot.web.staff.server."""

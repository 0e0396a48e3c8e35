"""The hotline operators' console at /console/: its server module, the panel beside a conversation, and the page's
static files."""

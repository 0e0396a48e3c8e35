"""Custom Rasa input channels: the pages the assistant serves itself (the chat widget at /chat/)."""

"""Thin rasa_sdk adapters over policy_db: read slots, call the engine, send Chinese text and contract payloads."""

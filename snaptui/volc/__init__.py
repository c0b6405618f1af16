"""The API core: signing, client, models, errors. Never imports the UI."""

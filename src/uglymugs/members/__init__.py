"""Members: the directory, passwords, sessions and the member API."""

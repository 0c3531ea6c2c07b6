"""One router per resource; `api.app` decides which are mounted."""

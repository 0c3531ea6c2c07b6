"""The browser side of the API: the graph explorer at `/` and the offline `/docs` and `/redoc`.

Everything the pages load ships in `static/` (the libraries in `static/vendor`, refreshed from a lock
file by `tools/webvendor/refresh.py`), and the explorer reads the graph through the public REST API
only, like any other client.
"""

"""Pages of the materials app (see requirements.py, submissions.py, exports.py)."""

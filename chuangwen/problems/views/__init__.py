"""Pages of the problems app: staff pages, the office's console and reports, the public page
and the Open311 endpoint (one module each)."""

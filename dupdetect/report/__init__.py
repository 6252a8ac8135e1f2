"""Output formats. Report code reads the scan's plain data; the core never imports it."""

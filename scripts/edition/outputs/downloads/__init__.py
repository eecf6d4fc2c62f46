"""Downloads stage: each text as PDF (print), EPUB 3 (reading devices) and TEI P5 (other editions)."""

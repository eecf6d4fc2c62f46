"""The site: MkDocs run in this process with a page cache (site, site_pages, mkdocs_adapter, nav_cache)."""

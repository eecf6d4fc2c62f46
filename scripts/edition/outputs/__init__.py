"""What the build makes from the rendered Markdown: the site (MkDocs), its search index (Pagefind) and the
downloads (PDF, EPUB, TEI)."""

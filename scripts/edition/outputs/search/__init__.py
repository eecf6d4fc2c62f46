"""Search: built pages cut into records and indexed by Pagefind (search_index, pagefind_bundle)."""

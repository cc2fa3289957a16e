"""Full-text search of tickets (S16, S22): one interface, SQLite FTS5 or PostgreSQL
``tsvector`` behind it. Surfaces never call this directly: ``tickets/queries.py``
starts every search from ``tickets/visibility.py`` and narrows it here.

The interface (``search/api.py``):

- ``parse(text) -> SearchQuery``: what a person typed, as words (three letters
  or more also match as the start of a longer word), prefixes (``inv*``),
  phrases (``"double charge"``) and exclusions (``-spam``); never raises,
  whatever the text; empty (falsy) when it holds no word to look for.
- ``matching(tickets, query, *, notes) -> QuerySet[Ticket]``: the tickets of
  ``tickets`` (already narrowed to what the reader may see) that match,
  annotated with ``search_rank`` (higher is better). ``notes`` says whether
  internal notes count (staff: yes; customers: never).
- ``snippets(ticket_ids, query, *, notes) -> dict[int, SafeString]``: for the
  rows of one page, the matching text, escaped, with the words marked.
- ``count_capped(tickets, cap) -> (n, more)``: a count that stops at ``cap``.

Inside: ``text.py`` (how words are split and folded, the same for the index
and the query), ``query.py`` (the syntax), ``documents.py`` (what a ticket's
row holds), ``backends.py`` (FTS5 and ``tsvector``), ``index.py`` (writing
rows), ``receivers.py`` (keeping them current), ``snippets.py``.
"""

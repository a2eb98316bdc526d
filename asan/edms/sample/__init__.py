"""Sample documents for ``make run`` (issue 10, point 11): never loaded in production.

``load_sample_documents`` makes, through the parts' real use cases and as the demo users of
``asan/auth/demo.py`` (principals resolved like a request's), incoming letters and drafts in
every state of their way, an order with legal expertise, a certified copy and a secret
document, each marked ``sample: true``. The citizens' appeals are the appeals part's
(``asan/edms/appeals/sample.py``), loaded before these.
"""

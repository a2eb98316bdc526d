"""Page sessions (issue 13): sign-in and sign-out pages, the session cookie, CSRF tokens and
the pages' security headers (docs/web-workspace.md)."""

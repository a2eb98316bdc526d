"""Disposition: the disposal calendar, the expert commission's decisions, the signed
destruction act and the resumable deletion it authorises (docs/archive-disposition.md)."""

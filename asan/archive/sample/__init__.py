"""The archive's sample data for ``make run`` (dev only, never in production): nomenclatures
of three years, cases in every step of their lifecycle, some due for disposal, some held, with
files already in the Object Lock bucket."""

"""Date and time formats of the interface (FORMAT_MODULE_PATH), on top of Django's own
per language: what the admin's date and time fields read, and how they show a value.

French editors type dates as 16/03/2027 or 2027-03-16 and times as 14:30, 14h30 or
14 h 30: each of these is read as typed; anything else is refused with a form error
(never replaced by something else)."""

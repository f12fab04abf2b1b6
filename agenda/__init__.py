"""Events and agendas (filled by the agenda issue)."""

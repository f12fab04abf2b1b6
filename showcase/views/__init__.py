"""Admin views of the showcase: a centre proposes and follows its proposals; the
coordination moderates, selects directly and reads the figures."""

"""Import of a WordPress export file (WXR, "eXtended RSS") into one site of the portal.
The mapping from WordPress types to portal pages is documented in docs/interop.md."""

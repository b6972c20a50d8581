"""Pages of the children area: linkage (``linkage``), one view of a child (``child``),
move alerts and their figures (``moves``)."""

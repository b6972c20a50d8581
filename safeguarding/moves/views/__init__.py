"""The moves area's pages: the MASH's move alerts (``alerts``) and question 10's figures
(``figures``)."""

"""The shared UI pieces every feature may use, in the low layer: what each page declares it
touches (``access``) and the places features add panels to pages they do not own
(``extensions``). The web shell (home pages, navigation) sits above the features and imports none
of them: it finds their panels here."""

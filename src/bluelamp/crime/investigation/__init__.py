"""Investigating a crime: officers' skills and allocation, the plan (lines of enquiry, the victim's
wishes), suspects, the decision not to investigate further, forensic and digital work, and the
supervision that keeps every live investigation in sight. Its records belong to the crime app."""

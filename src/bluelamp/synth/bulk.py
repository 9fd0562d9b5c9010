"""What the synthetic force's bulk writers share: the batch size and Lancashire's postcode
districts."""

BATCH = 5000
# Postcode districts of each Lancashire local authority (Royal Mail; reference, not statistics).
POSTCODES = {
    "Blackburn with Darwen": ["BB1", "BB2", "BB3"],
    "Blackpool": ["FY1", "FY2", "FY3", "FY4"],
    "Burnley": ["BB10", "BB11", "BB12"],
    "Chorley": ["PR6", "PR7"],
    "Fylde": ["FY8", "PR4"],
    "Hyndburn": ["BB5"],
    "Lancaster": ["LA1", "LA2", "LA3", "LA4", "LA5"],
    "Pendle": ["BB8", "BB9", "BB18"],
    "Preston": ["PR1", "PR2", "PR3"],
    "Ribble Valley": ["BB7", "BB6"],
    "Rossendale": ["BB4"],
    "South Ribble": ["PR5", "PR25", "PR26"],
    "West Lancashire": ["L39", "L40", "WN8"],
    "Wyre": ["FY5", "FY6", "FY7", "PR3"],
}
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

"""The Victims' Code for each victim of each crime: entitlement, contact plan, updates and
referrals."""

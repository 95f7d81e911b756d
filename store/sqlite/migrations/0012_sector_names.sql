-- One list of sectors: invitations took other spellings than a member's
-- own profile, so one sector was counted as two in the participation
-- balance and a member invited with the older spelling could not change
-- their name. Stored values take the spelling of labs.Sectors.
UPDATE memberships SET sector = 'social-services' WHERE sector = 'social_services';
UPDATE memberships SET sector = 'culture-leisure' WHERE sector = 'culture_leisure';
UPDATE memberships SET sector = 'ngo-volunteer' WHERE sector = 'ngo';
UPDATE memberships SET sector = 'police-justice' WHERE sector = 'police_justice';

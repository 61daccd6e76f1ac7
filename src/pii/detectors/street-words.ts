/**
 * Street words for the LOCATION detector. US: the street suffixes of USPS
 * Publication 28 (appendix C1), full and abbreviated. Europe: suffixes glued to
 * the street name (Hauptstraße, Kerkstraat) and words that open it (rue, via).
 */
export const US_SUFFIXES = `
Alley Aly Anex Arcade Arc Avenue Ave Av Bayou Byu Beach Bch Bend Bnd Bluff Blf Bluffs Blfs Bottom Btm Boulevard Blvd
Branch Br Bridge Brg Brook Brk Brooks Brks Burg Bg Burgs Bgs Bypass Byp Camp Cp Canyon Cyn Cape Cpe Causeway Cswy
Center Ctr Centers Ctrs Circle Cir Circles Cirs Cliff Clf Cliffs Clfs Club Clb Common Cmn Commons Cmns Corner Cor
Corners Cors Course Crse Court Ct Courts Cts Cove Cv Coves Cvs Creek Crk Crescent Cres Crest Crst Crossing Xing
Crossroad Xrd Crossroads Xrds Curve Curv Dale Dl Dam Dm Divide Dv Drive Dr Drives Drs Estate Est Estates Ests
Expressway Expy Extension Ext Extensions Exts Fall Falls Fls Ferry Fry Field Fld Fields Flds Flat Flt Flats Flts
Ford Frd Fords Frds Forest Frst Forge Frg Forges Frgs Fork Frk Forks Frks Fort Ft Freeway Fwy Garden Gdn Gardens
Gdns Gateway Gtwy Glen Gln Glens Glns Green Grn Greens Grns Grove Grv Groves Grvs Harbor Hbr Harbors Hbrs Haven Hvn
Heights Hts Highway Hwy Hill Hl Hills Hls Hollow Holw Inlet Inlt Island Is Islands Iss Isle Junction Jct Junctions
Jcts Key Ky Keys Kys Knoll Knl Knolls Knls Lake Lk Lakes Lks Land Landing Lndg Lane Ln Light Lgt Lights Lgts Loaf
Lf Lock Lck Locks Lcks Lodge Ldg Loop Mall Manor Mnr Manors Mnrs Meadow Mdw Meadows Mdws Mews Mill Ml Mills Mls
Mission Msn Motorway Mtwy Mount Mt Mountain Mtn Mountains Mtns Neck Nck Orchard Orch Oval Overpass Opas Park Parks
Parkway Pkwy Parkways Pass Passage Psge Path Pike Pine Pne Pines Pnes Place Pl Plain Pln Plains Plns Plaza Plz
Point Pt Points Pts Port Prt Ports Prts Prairie Pr Radial Radl Ramp Ranch Rnch Rapid Rpd Rapids Rpds Rest Rst
Ridge Rdg Ridges Rdgs River Riv Road Rd Roads Rds Route Rte Row Rue Run Shoal Shl Shoals Shls Shore Shr Shores
Shrs Skyway Skwy Spring Spg Springs Spgs Spur Spurs Square Sq Squares Sqs Station Sta Stravenue Stra Stream Strm
Street St Streets Sts Summit Smt Terrace Ter Throughway Trwy Trace Trce Track Trak Trafficway Trfy Trail Trl
Trailer Trlr Tunnel Tunl Turnpike Tpke Underpass Upas Union Un Unions Uns Valley Vly Valleys Vlys Viaduct Vdct
View Vw Views Vws Village Vlg Villages Vlgs Ville Vl Vista Vis Walk Walks Wall Way Ways Well Wl Wells Wls
`.split(/\s+/).filter(Boolean);

/** Endings of a one-word European street name (German, Dutch, Scandinavian). */
export const EU_GLUED = [
  'straße', 'strasse', 'str.', 'weg', 'gasse', 'allee', 'platz', 'ring', 'damm', 'ufer', 'steig', 'pfad', 'chaussee', 'markt',
  'laan', 'straat', 'gracht', 'plein', 'kade', 'dijk', 'singel', 'plantsoen', 'hof', 'park', 'dreef', 'pad', 'steeg', 'wal',
  'vej', 'gade', 'gatan', 'vägen', 'gränd', 'veien', 'gata',
];

/** Words that open a street name (French, Italian, Spanish, Portuguese, Polish). */
export const EU_OPENERS = [
  'rue', 'avenue', 'boulevard', 'bd', 'place', 'chemin', 'allée', 'impasse', 'quai', 'passage', 'cours', 'voie', 'route', 'square',
  'via', 'viale', 'piazza', 'corso', 'largo', 'vicolo', 'calle', 'avenida', 'paseo', 'plaza', 'camino', 'carrer', 'rua',
  'travessa', 'largo', 'ulica', 'ul.', 'aleja', 'al.',
];

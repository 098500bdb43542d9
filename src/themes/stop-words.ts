// English function words and review fillers that say nothing about a theme; written for churnscope, apostrophes removed.

const WORDS = `
a about above after again against all almost also although always am among an and another any anyone anything are
around as at away back be became because become been before being below besides best better between both but by
came can cannot could did do does doing done down during each either else enough etc even ever every everyone
everything few for from further get gets getting give given go goes going gone got gotten had has have having he her
here hers herself him himself his how however i if in instead into is it its itself just keep kept know last least
less let like likely made make makes making many may maybe me might mine more most much must my myself near need
needs never next no nobody none nor not nothing now of off often oh ok okay on once one ones only onto or other
others otherwise our ours ourselves out over own per perhaps please put quite rather re really same say said says
see seem seemed seems seen several shall she should since so some someone something sometimes somewhat still such
sure take taken than that the their theirs them themselves then there therefore these they thing things think this
those though through thus till to too took toward towards tried try trying two under unless until up upon us use
used using usually very via want wanted wants was way we well went were what whatever when where whether which
while who whole whom whose why will with within without would yet you your yours yourself yourselves
im ive id ill youre youve theyre theyve dont doesnt didnt isnt wasnt werent arent cant couldnt wouldnt shouldnt
wont havent hasnt hadnt thats theres whats lets
br quot amp nbsp http https www com
`;

export const STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

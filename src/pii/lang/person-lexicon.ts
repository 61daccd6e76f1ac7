import nlp from 'compromise';
import type { PersonLexicon } from '../types.js';
import { EXTRA_FIRST_NAMES, EXTRA_LAST_NAMES } from './names-extra.js';

interface Tables {
  first: Set<string>;
  last: Set<string>;
  common: Set<string>;
  /** One lookup per word: first name wins over surname over common word. */
  kind: Map<string, 'F' | 'L' | 'C' | 'W'>;
}

const FIRST_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName']);
/** Capitalised words that start sentences or name things, never people. */
const STOP = `i i'm i've i'll i'd hi hello hey dear thanks thank please the a an this that these those it its
we our you your they their he she his her my me us when where what which who why how if then there here also
and or but so yes no ok okay sure mon monday tue tuesday wed wednesday thu thursday fri friday sat saturday
sun sunday jan january feb february mar march apr april may jun june jul july aug august sep sept september
oct october nov november dec december today tomorrow yesterday team support customer client user admin account
order invoice ticket case note notes subject re fwd regards best cheers sincerely kind warm update issue bug
error help request prompt summary status priority urgent internal external api app login password email
phone address street avenue road city state country company inc ltd llc gmbh corp bank card visa mastercard
amex credit debit ip url server database cloud dashboard settings report export import billing payment
refund shipping delivery product service plan pro premium enterprise free trial version release build
hotel airport hospital university school college institute department office mr mrs ms dr prof
world everyone folks member members investors gentlemen sales procurement operations payroll security compliance
success onboarding facilities reception helpdesk backend frontend devops infrastructure production development
management leadership treasury receivable payable
authorization authentication bearer basic token cookie header content accept host`;
/**
 * Companies and products a workspace's tickets and prompts name all the time that the NLP lexicon
 * lacks (it has Google, Microsoft, Nike …). Like the lexicon's ordinary words they are not names on
 * their own ("with Apple and Amazon") but may be a surname after a given name ("Steve Dell"); a word
 * the lexicon knows as a given name or surname stays one.
 */
const BRANDS = `apple amazon aws azure facebook meta instagram whatsapp twitter tiktok youtube linkedin openai chatgpt
claude gemini copilot anthropic github gitlab bitbucket jira confluence atlassian trello asana notion figma canva
dropbox box onedrive sharepoint outlook gmail icloud zendesk intercom freshdesk hubspot salesforce shopify stripe
paypal venmo zelle klarna square twilio sendgrid mailchimp okta auth0 cloudflare vercel netlify heroku docker
kubernetes terraform datadog splunk sentry pagerduty grafana postgres postgresql mysql mongodb redis kafka
oracle sap workday tesla samsung huawei xiaomi lenovo dell hp ibm intel nvidia cisco adobe spotify zoom webex
teams slack discord telegram signal android ios windows macos linux ubuntu chrome firefox safari edge`;

/**
 * Given names that are ordinary words or terms too ("will", "grace", "mark", "frank", "min", "uri"), and
 * the names of voice and chat assistants ("ask alexa"). In lower case they are never taken for a name, even
 * after a strong cue ("ask will", "talked to may", "hi grace period"). Capitalised, those the lexicon has as
 * ordinary words ("Will", "Frank", "Bill") are a given name only before a known surname ("Frank Morrison")
 * or joined to a name by 'and' ("Frank and Linda Morrison"); those it has as given names stay given names.
 */
const GIVEN_WORDS = `will may june april august grace rose mark bill frank jean art pat sue jack drew lance chuck chase rob wade
grant nick bob pierce spike buck foster mack marshal peg stew skip biff blaze blossom buster buddy joy hope faith ray
guy max hunter dean miles penny holly dawn amber ruby pearl crystal summer robin eve carol gene herb cliff dale glen
rich sandy hazel violet lily daisy heather willow angel harmony sherry brandy kitty honey misty rusty dusty chip earl
terry patty harry homer hank heath clay gale kay kat cal dee deb don ed jo min uri val len lex ada aria pam sid ty ira
alexa claude jarvis`;

let tables: Tables | null = null;

/** Built lazily: the first scan that needs PERSON pays for reading the lexicon once. */
function load(): Tables {
  if (tables) return tables;
  const first = new Set<string>();
  const last = new Set<string>();
  const common = new Set<string>();
  const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon;
  for (const [word, tag] of Object.entries(lexicon)) {
    const tags = Array.isArray(tag) ? tag : [tag];
    if (word.includes(' ')) continue;
    if (tags.some((t) => FIRST_TAGS.has(t))) first.add(word);
    else if (tags.includes('LastName')) last.add(word);
    else if (!tags.includes('Person') && !tags.includes('Honorific')) common.add(word);
  }
  for (const w of EXTRA_FIRST_NAMES.split(/\s+/)) if (w) first.add(w);
  const lastWords = EXTRA_LAST_NAMES.split(/\s+/).filter(Boolean);
  for (const w of lastWords) last.add(w);
  for (const w of `${STOP} ${BRANDS}`.split(/\s+/)) if (w) common.add(w);
  for (const w of first) common.delete(w);
  for (const w of last) common.delete(w);
  const kind = new Map<string, 'F' | 'L' | 'C' | 'W'>();
  // ordinary words of the NLP lexicon ('W': "Rice", "Block", "Price" can be surnames); the stop list stays 'C'
  for (const w of common) kind.set(w, 'W');
  for (const w of STOP.split(/\s+/)) if (w && common.has(w)) kind.set(w, 'C');
  for (const w of last) kind.set(w, 'L');
  for (const w of first) kind.set(w, 'F');
  tables = { first, last, common, kind };
  return tables;
}

export function createPersonLexicon(): PersonLexicon {
  return {
    givenWords: new Set(GIVEN_WORDS.split(/\s+/)),
    // strong cues after which a given name counts in lower case too, as chats and prompts write names (see person.ts)
    lowerCase: {
      anchors: ['k', 'me'],
      inline: ['ask', 'thanks', 'thank you', 'talked to', 'talking to', 'talk to', 'talk with', 'spoke with', 'spoke to', 'speak with', 'speak to', 'name is', "name's", 'named'],
      openers: ['hi', 'hey', 'hello', 'hiya', 'dear', 'cheers'],
      labels: ['cc', 'bcc', 'attn', 'name', 'contact', 'customer', 'client', 'patient', 'employee'],
    },
    titles: new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'madam', 'mme', 'herr', 'frau', 'sr', 'sra']),
    before: [
      'name is', 'name:', 'named', 'called', 'dear', 'hi', 'hello', 'hey', 'thanks', 'thank you', 'regards', 'cheers',
      'sincerely', 'spoke with', 'spoke to', 'talked to', 'talking to', 'contact', 'customer', 'client',
      'cc', 'ask', 'assigned to', 'escalated to', 'signed', 'i am', "i'm", 'this is', 'manager',
      'colleague', 'user', 'patient', 'employee', 'agent', 'owner', 'attn', 'name', 'holder', 'met',
      // the weak cues below, where a verb or noun before them makes the next word a person's
      'call with', 'meeting with', 'met with', 'chat with', 'speak with', 'speak to', 'talk to', 'talk with',
      'assign to', 'assigning to', 'reassigned to', 'forward to', 'forwarded to', 'send to', 'sent to', 'reply to',
      'replied to', 'message from', 'email from', 'call from', 'note from', 'on behalf of', 'approved by', 'signed by',
      'reported by', 'requested by', 'reviewed by', 'opened by', 'reopened by', 'created by', 'submitted by',
    ],
    weakBefore: ['to', 'for', 'with', 'from', 'by', 'per'],
    after: ['said', 'says', 'wrote', 'called', 'reported', 'asked', 'mentioned', 'replied', 'confirmed', 'is our', 'from', '(born', 'born', "'s", '’s'],
    particles: new Set(['van', 'von', 'de', 'der', 'den', 'da', 'del', 'della', 'di', 'du', 'la', 'le', 'bin', 'ibn', 'al', 'el', 'dos', 'das', 'ten', 'ter', 'mac']),
    isFirstName: (w) => load().first.has(w),
    isLastName: (w) => load().last.has(w),
    isCommonWord: (w) => load().common.has(w),
    kindOf: (w) => load().kind.get(w),
    surnameSuffixes: [
      'ski', 'ska', 'wicz', 'czyk', 'son', 'sen', 'sson', 'ez', 'ndes', 'lves', 'ães', 'ões', 'ova', 'eva', 'enko', 'chuk', 'ian', 'yan', 'oglu',
      'escu', 'ini', 'elli', 'etti', 'poulos', 'akis', 'idis', 'stein', 'berg', 'mann', 'ov', 'ev', 'vic', 'vić', 'ić',
      'ishvili', 'adze', 'ienė', 'aitė', 'nen', 'la', 'dottir', 'ović', 'ović', 'ek', 'ák', 'ová',
    ],
    organizationSuffixes: [
      'Inc', 'Inc.', 'LLC', 'L.L.C.', 'Ltd', 'Ltd.', 'Limited', 'GmbH', 'Corp', 'Corp.', 'Corporation', 'Co.', 'PLC', 'plc',
      'AG', 'S.A.', 'B.V.', 'N.V.', 'LLP', 'Group', 'Holdings', 'Partners', 'Labs', 'Technologies', 'Solutions', 'Consulting',
      'Associates', 'Ventures', 'Capital', 'Bank', 'and Sons', '& Sons', 'and Co.', '& Co', '& Co.', 'and Company', '& Company',
    ],
    // brands and firms that shoppers, customers and bankers name all the time (not those that are also common
    // people's names, like Paul Smith or Ted Baker)
    organizations: [
      'Calvin Klein', 'Michael Kors', 'Ralph Lauren', 'Tommy Hilfiger', 'Louis Vuitton', 'Hugo Boss', 'Kate Spade', 'Tory Burch',
      'Marc Jacobs', 'Vera Wang', 'Yves Saint Laurent', 'Giorgio Armani', 'Christian Dior', 'Christian Louboutin', 'Stella McCartney',
      'Alexander McQueen', 'Estée Lauder', 'Jimmy Choo', 'Steve Madden', 'Anne Klein', 'Karl Lagerfeld', 'Salvatore Ferragamo',
      'Levi Strauss', 'Tommy Bahama', 'Eddie Bauer', 'Dolce & Gabbana', 'Abercrombie & Fitch', 'Morgan Stanley', 'Goldman Sachs',
      'Merrill Lynch', 'Charles Schwab', 'Wells Fargo', 'Dow Jones', 'Lehman Brothers', 'Smith Barney', 'Ernst & Young', 'Booz Allen',
      'Baker McKenzie', 'Johnson & Johnson', 'Procter & Gamble', 'Marks & Spencer', 'Barnes & Noble', 'Ben & Jerry', 'Black & Decker',
      'Smith & Wesson', 'Simon & Schuster', 'Harley Davidson', 'Harley-Davidson', 'Rolls Royce', 'Rolls-Royce', 'Aston Martin',
      'Mercedes Benz', 'Mercedes-Benz', 'Alfa Romeo', 'Walt Disney', 'Warner Bros', 'Trader Joe', 'Jack Daniel', 'Sara Lee',
      'Betty Crocker', 'Baskin Robbins', 'Tim Hortons', 'Papa John', 'Hewlett Packard', 'Hewlett-Packard',
    ],
  };
}

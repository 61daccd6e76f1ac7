import * as v from './values.js';

/**
 * The labeled evaluation corpus: sentences in the style of support tickets,
 * chats, CRM notes and AI prompts, with gold spans. Reproducible from the seed.
 * Hard negatives (order numbers, timestamps as epoch seconds, versions, prices,
 * UUIDs, Luhn-failing card-like numbers, 9-digit non-SSNs, company and product
 * names) are present but unlabeled.
 */
export interface Span {
  type: string;
  start: number;
  end: number;
}
export interface Sample {
  text: string;
  spans: Span[];
  style: string;
}

type Slot = () => [type: string | null, value: string];
const { US, pick, digits } = v;

const SLOTS: Record<string, Slot> = {
  PERSON: () => ['PERSON', v.personName().full],
  FIRST: () => ['PERSON', v.personName().first],
  EMAIL: () => ['EMAIL_ADDRESS', v.email()],
  PHONE: () => ['PHONE_NUMBER', v.phone()],
  SSN: () => ['US_SSN', v.ssn(true)],
  SSN_BARE: () => ['US_SSN', v.ssn(false)],
  CARD: () => ['CREDIT_CARD', v.card()],
  IP: () => ['IP_ADDRESS', v.ipv4()],
  IP6: () => ['IP_ADDRESS', v.ipv6()],
  IBAN: () => ['IBAN_CODE', v.iban()],
  URL: () => ['URL', v.url()],
  MAC: () => ['MAC_ADDRESS', v.mac()],
  BTC: () => ['CRYPTO', v.bitcoin()],
  DOB: () => ['DATE_TIME', v.date('dob')],
  TS: () => ['DATE_TIME', v.date('ts')],
  ADDR: () => ['LOCATION', v.usAddress()],
  EUADDR: () => ['LOCATION', v.euAddress()],
  PASSPORT: () => ['US_PASSPORT', digits(9).replace(/^0/, '5')],
  BANK: () => ['US_BANK_NUMBER', digits(US.number.int({ min: 8, max: 12 })).replace(/^0/, '7')],
  SECRET: () => ['SECRET', v.secret()],
  // hard negatives
  ORDER: () => [null, pick([`#${digits(6)}`, `ORD-${digits(8)}`, digits(9).replace(/^0/, '9'), `${digits(3)}-${digits(7)}`])],
  EPOCH: () => [null, String(US.number.int({ min: 1_600_000_000, max: 1_800_000_000 }))],
  VERSION: () => [null, pick([US.system.semver(), `v${US.system.semver()}`, `${US.number.int(20)}.${US.number.int(9)}.${US.number.int(9999)}.${US.number.int(999)}`])],
  PRICE: () => [null, pick([`$${US.commerce.price({ min: 5, max: 5000 })}`, `€${US.commerce.price()}`, `${US.commerce.price({ min: 1000, max: 99999 })} USD`])],
  UUID: () => [null, US.string.uuid()],
  BADCARD: () => [null, v.badCard()],
  NINE: () => [null, digits(9).replace(/^0/, '9')],
  COMPANY: () => [null, US.company.name()],
  PRODUCT: () => [null, US.commerce.productName()],
  TIME: () => [null, `${US.number.int({ min: 1, max: 12 })}:${pick(['00', '15', '30', '45'])} ${pick(['am', 'pm', 'AM', 'PM'])}`],
};

const TEMPLATES: Record<string, string[]> = {
  ticket: [
    'Hi, my name is {PERSON} and I cannot log in since the update to {VERSION}. You can reach me at {PHONE}.',
    'Order {ORDER} arrived damaged. Please contact {PERSON} at {EMAIL} for the replacement.',
    'Customer {PERSON} reports a double charge of {PRICE} on card {CARD}.',
    'The refund for invoice {ORDER} should go to IBAN {IBAN}, account holder {PERSON}.',
    'Login attempts from {IP} at {TS} were blocked; request id {UUID}.',
    'Please update the shipping address to {ADDR}. Thanks, {FIRST}',
    'The card number {BADCARD} was rejected, is that a typo? Order {ORDER}.',
    'Our {PRODUCT} stopped syncing after the {VERSION} release. Contact: {EMAIL}',
    'Dear Support, my SSN {SSN} appears in the export from {URL}. Regards, {PERSON}',
    'Device {MAC} keeps dropping off the network at {IP6}.',
    'Tracking number {NINE} shows delivered but nothing arrived at {EUADDR}.',
    '{PERSON} from {COMPANY} asked us to call back on {PHONE} before {TIME}.',
  ],
  chat: [
    'hey can you send it to {EMAIL}? thx',
    'sure, call me on {PHONE} after {TIME}',
    'I spoke with {PERSON} yesterday, she said the ticket {ORDER} is fixed',
    'my new number is {PHONE}, old one was {PHONE}',
    'ok the server is {IP}, uptime since {EPOCH}',
    'I paid {PRICE} with {CARD} but got nothing',
    'Thanks {FIRST}! See you at the meetup.',
    'btw my bitcoin wallet is {BTC} if you want to refund in crypto',
    'can you reset the key {SECRET}? I pasted it by mistake',
    'ask {PERSON} about the {PRODUCT} rollout, build {VERSION}',
  ],
  crm: [
    'Contact: {PERSON}, phone {PHONE}, email {EMAIL}. Lead source: {COMPANY}.',
    'Met {PERSON} and {PERSON} on {TS} to discuss the renewal ({PRICE}/year).',
    'Customer DOB: {DOB}. Verified identity with SSN {SSN_BARE}.',
    'Wire transfer details: IBAN {IBAN}. Reference {ORDER}.',
    'Passport number {PASSPORT} verified for {PERSON}.',
    'Bank account number {BANK} (checking) on file, routing pending.',
    'Mailing address: {ADDR}. Preferred contact {EMAIL}.',
    'Note: {PERSON} (born {DOB}) moved to {EUADDR}.',
    'Account manager {PERSON} escalated case {ORDER} to {PERSON}.',
    'Call log {TS}: {FIRST} confirmed the order {ORDER} and the price {PRICE}.',
  ],
  prompt: [
    'Summarize this email from {PERSON} <{EMAIL}> and draft a polite reply.',
    'Write a follow-up to {PERSON} about ticket {UUID}; mention the call with {FIRST} on {PHONE}.',
    'Explain why the request from {IP} failed with the token {SECRET}.',
    'Translate into German: "Please transfer the deposit to {IBAN} by Friday."',
    'Classify the sentiment: "{PERSON} said the {PRODUCT} is great but version {VERSION} crashes."',
    'Extract the fields from: name {PERSON}, ssn {SSN}, card {CARD}, dob {DOB}.',
    'Is {BADCARD} a valid card number? And what about {NINE}?',
    'Generate a report for {COMPANY} covering {TS} to today; the dashboard is at {URL}.',
  ],
};

/** n samples, round-robin over styles, seeded. */
export function generateCorpus(n: number, seed = 6): Sample[] {
  v.seedAll(seed);
  const styles = Object.keys(TEMPLATES);
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const style = styles[i % styles.length];
    out.push(fill(pick(TEMPLATES[style]), style));
  }
  return out;
}

function fill(template: string, style: string): Sample {
  let text = '';
  const spans: Span[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{([A-Z0-9_]+)\}/g)) {
    text += template.slice(last, m.index);
    const [type, value] = SLOTS[m[1]]();
    if (type) spans.push({ type, start: text.length, end: text.length + value.length });
    text += value;
    last = m.index + m[0].length;
  }
  text += template.slice(last);
  return { text, spans, style };
}

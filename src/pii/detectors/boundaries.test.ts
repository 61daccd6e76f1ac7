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

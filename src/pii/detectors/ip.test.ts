import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { indexText } from '../prepass.js';
import { eightGroups, v4Precheck } from './ip.js';

const PIECES = ['1', '10', '192', '255', '1234', '0', '.', '.', '.', '..', ' ', 'a', '_', ':', '-', '10.0.0.1', '808.14', 'v1.2.3', '1.2.3.4.5'];
const { randomText: piecesOf } = seededText(17);
const randomText = () => piecesOf(PIECES, 12);

describe('IPv4 precheck', () => {
  it('holds wherever V4 matches at a digit run', () => {
    const { V4, dottedRuns } = v4Precheck;
    let matched = 0;
    for (let n = 0; n < 20000; n++) {
      const text = randomText();
      const runs = indexText(text).digits;
      for (let k = 0; k < runs.length; k += 2) {
        V4.lastIndex = runs[k];
        if (!V4.test(text)) continue;
        matched++;
        expect(dottedRuns(text, runs, k), text).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(2000);
  });
});

describe('IPv6 written out in full', () => {
  it('eightGroups accepts eight groups of one to four hex digits and nothing else, each valid for ipaddr.js', () => {
    // six to nine groups of zero to five characters (mostly hex), mostly joined by single colons
    const { rnd, pick } = seededText(29);
    const CHARS = '0123456789abcdefABCDEF0af9g.';
    let accepted = 0;
    for (let n = 0; n < 20000; n++) {
      const groups = Array.from({ length: 6 + rnd(4) }, () => Array.from({ length: rnd(6) }, () => pick([...CHARS])).join(''));
      const sep = rnd(10) ? ':' : '::';
      const s = groups.join(sep);
      expect(eightGroups(s), s).toBe(sep === ':' && groups.length === 8 && groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g)));
      if (!eightGroups(s)) continue;
      accepted++;
      expect(ipaddr.IPv6.isValid(s), s).toBe(true);
    }
    expect(accepted).toBeGreaterThan(50);
    expect(eightGroups('dcfc:fa2d:ea42:6cb3:3b2a:964a:90ce:be9d')).toBe(true);
    for (const s of ['dcfc:fa2d:ea42:6cb3:3b2a:964a:90ce', ':fa2d:ea42:6cb3:3b2a:964a:90ce:be9d', 'dcfc:fa2d:ea42:6cb3:3b2a:964a:90ce:', 'dcfc::ea42:6cb3:3b2a:964a:90ce:be9d', 'dcfc:fa2d:ea42:6cb3:3b2a:964a:90ce:be9d0']) {
      expect(eightGroups(s), s).toBe(false);
    }
  });
});

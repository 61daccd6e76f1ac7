import { parse } from 'tldts';
import { describe, expect, it } from 'vitest';
import { seededText } from '../random-text.test-helpers.js';
import { emailDetector } from './email.js';

describe('email detector with the local part checked in the text', () => {
  // the detector as first written (slices of the local part and the domain, no memo), the reference
  const LOCAL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/;
  const DOMAIN = /[A-Za-z0-9.-]/;
  const checkDomain = (domain: string) => {
    const labels = domain.split('.');
    if (labels.length < 2) return false;
    for (const l of labels) if (!l || l.length > 63 || l.startsWith('-') || l.endsWith('-')) return false;
    const info = parse(domain, { allowPrivateDomains: false });
    return info.isIcann === true && info.domain !== null && !/^\d+$/.test(labels[labels.length - 1]);
  };
  const reference = (text: string) => {
    const out: [number, number][] = [];
    let from = 0;
    for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      if (at < from) continue;
      from = at + 1;
      let s = at;
      while (s > 0 && at - s < 64 && LOCAL.test(text[s - 1])) s--;
      let e = at + 1;
      while (e < text.length && e - at < 255 && DOMAIN.test(text[e])) e++;
      while (s < at && text[s] === '.') s++;
      while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
      if (s === at || e <= at + 3) continue;
      const local = text.slice(s, at);
      if (local.includes('..') || local.endsWith('.')) continue;
      if (!checkDomain(text.slice(at + 1, e).toLowerCase())) continue;
      out.push([s, e]);
      from = e;
    }
    return out;
  };

  it('finds the same addresses on random text', () => {
    const { randomText } = seededText(37);
    const PIECES = ['a', 'Bo', 'x.y', '.', '..', '@', '@', 'example', '.com', '.co.uk', '.CoM', '-', 'é', ' ', '\n', '1', '.museum', '.zz', "o'n", '+tag'];
    let found = 0;
    for (let n = 0; n < 4000; n++) {
      const text = randomText(PIECES, 14);
      const want = reference(text);
      found += want.length;
      expect(emailDetector.detect(text, {} as never).map((c) => [c.start, c.end]), JSON.stringify(text)).toEqual(want);
    }
    expect(found).toBeGreaterThan(100);
  });
});

describe('email detector and links', () => {
  const found = (text: string) => emailDetector.detect(text, {} as never).map((c) => text.slice(c.start, c.end));

  it('the password and host of a link are no address', () => {
    expect(found('mongodb+srv://admin:Xk29fLq0@cluster0.example.net/test')).toEqual([]);
    expect(found('amqp://:guest1@mq.example.com:5672')).toEqual([]);
  });

  it('an address after a scheme without // stays one', () => {
    expect(found('mailto:jane@example.com')).toEqual(['jane@example.com']);
    expect(found('write to: jane@example.com')).toEqual(['jane@example.com']);
  });
});

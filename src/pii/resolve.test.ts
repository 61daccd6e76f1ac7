import { describe, expect, it } from 'vitest';
import { seededText } from './random-text.test-helpers.js';
import { createDetector, type ScanOptions } from './detector.js';
import { resolveOverlaps } from './resolve.js';
import type { Finding } from './types.js';

const { rnd } = seededText(77);

/** Random findings in a few ascending runs (as detectors deliver them), with ties in start, end and score. */
function randomFindings(count: number): Finding[] {
  const out: Finding[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    if (rnd(6) === 0) start = rnd(40);
    start += rnd(4);
    out.push({ type: `T${i}`, start, end: start + 1 + rnd(8), score: rnd(4) / 4 });
  }
  return out;
}

/** The resolution with Array.prototype.sort (stable) as the order: what resolveOverlaps must return. */
function reference(findings: Finding[]): Finding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Finding[] = [];
  for (const c of sorted) {
    let keep = true;
    while (kept.length) {
      const last = kept[kept.length - 1];
      if (last.end <= c.start) break;
      const aContains = last.start <= c.start && last.end >= c.end;
      const bContains = c.start <= last.start && c.end >= last.end;
      const w = aContains && bContains ? (c.score > last.score ? c : last) : aContains ? last : bContains ? c : last.score !== c.score ? (last.score > c.score ? last : c) : c.end - c.start > last.end - last.start ? c : last;
      if (w === last) {
        keep = false;
        break;
      }
      kept.pop();
    }
    if (keep) kept.push(c);
  }
  return kept;
}

describe('resolveOverlaps', () => {
  it('keeps what a stable sort by start (longer first) and the overlap rules keep, for small and large inputs', () => {
    for (let n = 0; n < 3000; n++) {
      const findings = randomFindings(n % 10 === 0 ? 150 + rnd(200) : rnd(60));
      const copy = [...findings];
      expect(resolveOverlaps(findings)).toEqual(reference(findings));
      expect(findings, 'input untouched').toEqual(copy);
    }
  });
});

describe('a password inside a link', () => {
  // the link is anonymized whole, which hides its password; the password stands on its own wherever the link does not
  const d = createDetector();
  const found = (text: string, opts?: ScanOptions) => d.scan(text, opts).map((f) => [f.type, f.subtype, text.slice(f.start, f.end)]);
  const text = 'see https://bob:S3cr3t!x@example.com/report for details';

  it('is covered by the link', () => {
    expect(found(text)).toEqual([['URL', undefined, 'https://bob:S3cr3t!x@example.com/report']]);
  });

  it('is a SECRET when links are not asked for or the link is allowed', () => {
    expect(found(text, { entities: ['SECRET'] })).toEqual([['SECRET', 'url_password', 'S3cr3t!x']]);
    expect(found(text, { allowList: ['https://bob:S3cr3t!x@example.com/report'] })).toEqual([['SECRET', 'url_password', 'S3cr3t!x']]);
  });

  it('is a SECRET in a link that is no URL finding (a host without a public suffix)', () => {
    expect(found('https://bob:S3cr3t!x@intranet:8443/admin')).toEqual([['SECRET', 'url_password', 'S3cr3t!x']]);
  });
});

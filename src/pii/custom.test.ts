import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runPiiCli } from './cli.js';
import { loadPiiConfigFile, parsePiiConfig } from './config-file.js';
import { createDetector } from './detector.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';
import { createPii } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'pii-custom-'));
const write = (name: string, text: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return `${(e as { code?: string }).code}: ${(e as Error).message}`;
  }
  return 'no error';
};

describe('custom recognizers by configuration', () => {
  const detector = createDetector({
    recognizers: [
      { entity: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b', context: ['employee', 'staff'], score: 0.4 },
      { entity: 'LOYALTY_CARD', pattern: '\\b\\d{4} \\d{4} \\d{4} \\d{4}\\b', validator: 'luhn', score: 0.6 },
      { entity: 'CASE_REF', pattern: '\\bcase[ -]?\\d{5}\\b', flags: 'i', score: 0.8, requireContext: true, context: ['ticket'] },
    ],
  });

  it('finds what the pattern matches, at the JavaScript string offsets', () => {
    const text = 'The employee EMP-123456 called.';
    const f = detector.scan(text, { entities: ['EMPLOYEE_ID'] });
    expect(f).toHaveLength(1);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe('EMP-123456');
    expect(detector.entities).toContain('EMPLOYEE_ID');
  });
  it('context words raise the score; without them a weak recognizer falls under the threshold', () => {
    const withWord = detector.scan('staff member EMP-123456', { entities: ['EMPLOYEE_ID'] });
    const without = detector.scan('reference EMP-123456', { entities: ['EMPLOYEE_ID'] });
    expect(withWord[0]?.score).toBeGreaterThan(0.4);
    expect(without).toEqual([]);
    expect(detector.scan('reference EMP-123456', { entities: ['EMPLOYEE_ID'], minScore: 0.3 })).toHaveLength(1);
  });
  it('a named validator drops matches that fail it', () => {
    expect(detector.scan('card 4539 1488 0343 6467', { entities: ['LOYALTY_CARD'] })).toHaveLength(1);
    expect(detector.scan('card 4539 1488 0343 6468', { entities: ['LOYALTY_CARD'] })).toEqual([]);
  });
  it('require_context reports only with a context word nearby; flags apply', () => {
    expect(detector.scan('see CASE-12345', { entities: ['CASE_REF'] })).toEqual([]);
    expect(detector.scan('ticket Case 12345', { entities: ['CASE_REF'] })).toHaveLength(1);
  });
  it('refuses a recognizer that would be wrong or dangerous, naming why', () => {
    const make = (r: Record<string, unknown>) => () => createDetector({ recognizers: [{ entity: 'X_ID', pattern: 'x\\d+', ...r } as never] });
    expect(codeOf(make({ entity: 'lower' }))).toMatch(/PII_INVALID_RECOGNIZER.*UPPER_SNAKE_CASE/);
    expect(codeOf(make({ pattern: '' }))).toMatch(/PII_INVALID_RECOGNIZER.*pattern missing/);
    expect(codeOf(make({ pattern: 'a'.repeat(501) }))).toMatch(/too long/);
    expect(codeOf(make({ pattern: '(' }))).toMatch(/not a valid regular expression/);
    expect(codeOf(make({ pattern: '\\d*' }))).toMatch(/matches the empty string/);
    expect(codeOf(make({ flags: 'gy' }))).toMatch(/flags may only be/);
    expect(codeOf(make({ score: 0 }))).toMatch(/score must be/);
    expect(codeOf(make({ score: 1.5 }))).toMatch(/score must be/);
    expect(codeOf(make({ validator: 'nope' }))).toMatch(/unknown validator nope/);
    // DEFAULT names every other type in an operator list: an entity of that name could not have an operator of its own
    expect(codeOf(make({ entity: 'DEFAULT' }))).toMatch(/PII_INVALID_RECOGNIZER.*DEFAULT is reserved/);
    // require_context without a context word would never report anything
    expect(codeOf(make({ requireContext: true }))).toMatch(/PII_INVALID_RECOGNIZER.*require_context needs context words/);
    expect(codeOf(make({ requireContext: true, context: [] }))).toMatch(/require_context needs context words/);
    expect(codeOf(make({ requireContext: true, context: ['ticket'] }))).toBe('no error');
    // a built-in type brings the language's context words
    expect(codeOf(make({ entity: 'PHONE_NUMBER', requireContext: true }))).toBe('no error');
    expect(codeOf(make({ entity: 'URL', requireContext: true }))).toMatch(/require_context needs context words/);
    // catastrophic backtracking: each of these takes exponential time on a crafted line
    for (const p of ['(a+)+$', '(\\w+\\s?)+$', '^(\\d+)+$', '(x+x+)+y', '(a{1,10}){1,10}$', '(?:-[\\d-]*)+', '(?:a|(b+))+']) {
      expect(codeOf(make({ pattern: p })), p).toMatch(/backtrack catastrophically.*nested inside another/);
    }
    expect(codeOf(make({ pattern: '(?:a[^A]*)+x', flags: 'i' }))).toMatch(/nested inside another/);
    expect(codeOf(make({ pattern: '(?<=id )\\d{6}' }))).toMatch(/cannot read \(lookbehind/);
  });
  it('reads a pattern as its flags make it: \\p{…}, \\u{…} and astral characters under u, the dot under s, case folding under iu, a named back-reference', () => {
    const make = (pattern: string, flags: string) => () => createDetector({ recognizers: [{ entity: 'X_ID', pattern, flags }] });
    // each of these takes exponential time on a crafted line, read with its flags
    for (const [p, f] of [['(\\p{L}+ ?)+$', 'u'], ['(?:\\P{L}+ ?)+$', 'u'], ['(?:[\\p{Lu}\\d]+ ?)+$', 'u'], ['(?:\\u{61}+ ?)+$', 'u'], ['(?:\u{1F600}+ ?)+$', 'u'], ['(?:\\n.*)+y', 's'], ['(?:s\\u017F*)+x', 'iu'], ['(?<a>a)(?:\\k<a>+ ?)+$', '']] as const) {
      expect(codeOf(make(p, f)), `/${p}/${f}`).toMatch(/backtrack catastrophically.*nested inside another/);
    }
    // the same flags on patterns that leave nothing to backtrack over
    for (const [p, f] of [['\\p{Lu}\\p{Ll}+(?: \\p{Lu}\\p{Ll}+)+', 'u'], ['(?:\\n[^\\n]*)+y', 's'], ['(?:-\\p{N}+)+', 'u']] as const) {
      expect(codeOf(make(p, f)), `/${p}/${f}`).toBe('no error');
    }
  });
  it('refuses repeated alternatives that can start with the same character, as in (a|a)+', () => {
    const make = (pattern: string, flags = '') => () => createDetector({ recognizers: [{ entity: 'X_ID', pattern, flags }] });
    // each of these takes exponential time on a crafted line: a turn can take either branch
    for (const [p, f] of [['(a|a)+$', ''], ['(\\w|\\d)+$', ''], ['(.|\\s)+x', ''], ['(?:(?:a)|a)+$', ''], ['(?:x(?:a|a))+$', ''], ['(?:a|A)+$', 'i'], ['(?:\\d|[0-5])+x', '']] as const) {
      expect(codeOf(make(p, f)), `/${p}/${f}`).toMatch(/backtrack catastrophically.*alternatives that can start with the same character/);
    }
    // alternatives that each turn tells apart at its first character, or that are not repeated
    for (const p of ['(?:[a-z]|\\d)+x', '(?:-\\d|\\.\\d)+', '\\b(?:Mr|Mrs|Ms)\\.? [A-Z]\\w+', '(?:\\s(?:Jr|Sr)\\.?)+', '(?:a|b)(?:a|b)']) {
      expect(codeOf(make(p)), p).toBe('no error');
    }
  });
  it('a fixed count of two or more repeats the choices inside it: refused unless each turn decides them', () => {
    const make = (pattern: string) => () => createDetector({ recognizers: [{ entity: 'X_ID', pattern }] });
    // each of these runs for more than ten seconds on a line of a hundred to a few thousand characters
    for (const p of ['(?:\\d+){6}x', '(?:\\w+\\s?){3}x', '(?:a{1,10}){10}$', '(?:a|a){40}$']) {
      expect(codeOf(make(p)), p).toMatch(/backtrack catastrophically/);
    }
    // a repetition followed in its turn by a character it cannot match ends where that character is
    for (const p of ['(\\d{1,3}\\.){3}\\d{1,3}', '(?:\\d+-){2}\\d+', '(?:[A-Z]+\\d){4}', '(?:\\d+){1}x']) {
      expect(codeOf(make(p)), p).toBe('no error');
    }
  });
  it('accepts repetitions that leave nothing to backtrack over: fixed counts, and turns that start with a character the inner part cannot match', () => {
    for (const p of ['\\b\\d{4}(?: \\d{4}){3}\\b', '(\\d{1,3}\\.){3}\\d{1,3}', '\\d+(?:-\\d+)+', '(?:\\s\\w+)+', '(?:,\\s*\\w+)+', '(?:a[^a]*)+x', '(?<id>EMP)-\\d+']) {
      expect(codeOf(() => createDetector({ recognizers: [{ entity: 'X_ID', pattern: p }] })), p).toBe('no error');
    }
  });
});

describe('the PII settings file', () => {
  it('reads regions and recognizers from YAML (snake_case keys) and JSON alike', () => {
    const yaml = write('pii.yaml', [
      'regions: [US, DE]',
      'recognizers:',
      '  - entity: EMPLOYEE_ID',
      "    pattern: '\\bEMP-\\d{6}\\b'",
      '    context: [employee]',
      '    score: 0.7',
      '    require_context: false',
      '',
    ].join('\n'));
    const cfg = loadPiiConfigFile(yaml);
    expect(cfg).toEqual({ regions: ['US', 'DE'], recognizers: [{ entity: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b', context: ['employee'], score: 0.7, requireContext: false, flags: undefined, validator: undefined }] });
    const json = write('pii.json', JSON.stringify({ recognizers: [{ entity: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b' }] }));
    expect(loadPiiConfigFile(json).recognizers?.[0]?.entity).toBe('EMPLOYEE_ID');
    expect(loadPiiConfigFile(write('empty.yaml', ''))).toEqual({});
  });
  it('regions limit national phone numbers to those plans', () => {
    const usOnly = createDetector(parsePiiConfig({ regions: ['US'] }));
    const all = createDetector();
    const text = 'Rufen Sie mich an: 030 12345678';
    expect(all.scan(text, { entities: ['PHONE_NUMBER'] })).toHaveLength(1);
    expect(usOnly.scan(text, { entities: ['PHONE_NUMBER'] })).toEqual([]);
    // an international number names its own region and is found whatever the list
    expect(usOnly.scan('call +49 30 12345678', { entities: ['PHONE_NUMBER'] })).toHaveLength(1);
  });
  it('every mistake is refused with the file and the place named', () => {
    const err = (doc: unknown) => codeOf(() => parsePiiConfig(doc, 'pii.yaml'));
    expect(err([])).toMatch(/^PII_INVALID_CONFIG: pii.yaml must be a mapping/);
    expect(err({ region: ['US'] })).toMatch(/unknown setting "region"/);
    expect(err({ regions: [] })).toMatch(/regions must be a non-empty list/);
    expect(err({ regions: ['US', 'XX'] })).toMatch(/regions\[1\] "XX" is not a region code/);
    expect(err({ regions: ['us'] })).toMatch(/regions\[0\] "us"/);
    expect(err({ recognizers: {} })).toMatch(/recognizers must be a list/);
    expect(err({ recognizers: ['x'] })).toMatch(/recognizers\[0\] must be a mapping/);
    expect(err({ recognizers: [{ entity: 'A_B', pattern: 'ab', requireContext: true }] })).toMatch(/recognizers\[0\] has an unknown setting "requireContext"/);
    expect(err({ recognizers: [{ entity: 'A_B', pattern: 3 }] })).toMatch(/recognizers\[0\]\.pattern must be a string/);
    expect(err({ recognizers: [{ entity: 'A_B', pattern: 'ab', context: 'x' }] })).toMatch(/context must be a list of words/);
    expect(err({ recognizers: [{ entity: 'A_B', pattern: 'ab', score: '0.5' }] })).toMatch(/score must be a number/);
    expect(err({ recognizers: [{ entity: 'A_B', pattern: 'ab', require_context: 'yes' }] })).toMatch(/require_context must be true or false/);
    expect(err({ recognizers: [{ entity: 'A_B', pattern: '(a+)+' }] })).toMatch(/recognizers\[0\]: custom recognizer A_B: pattern may backtrack/);
    expect(err({ recognizers: [{ entity: 'A_B', pattern: 'ab' }, { entity: 'A_B', pattern: 'ab' }] })).toMatch(/twice/);
    expect(err({ recognizers: Array.from({ length: 201 }, (_, i) => ({ entity: 'A_B', pattern: `a${i}` })) })).toMatch(/more than 200/);
    expect(codeOf(() => loadPiiConfigFile(join(dir, 'missing.yaml')))).toMatch(/PII_INVALID_CONFIG: .*missing.yaml cannot be read \(ENOENT\)/);
    expect(codeOf(() => loadPiiConfigFile(write('bad.yaml', 'regions: [US\n')))).toMatch(/is not valid YAML or JSON/);
    // a file in another encoding is refused, not read with its letters replaced by U+FFFD; a byte order mark is fine
    expect(codeOf(() => loadPiiConfigFile(write('latin1.yaml', Buffer.from('recognizers:\n  - entity: A_B\n    pattern: ab\n    context: [stra\xdfe]\n', 'latin1'))))).toMatch(/PII_INVALID_CONFIG: .*latin1.yaml is not valid UTF-8/);
    expect(loadPiiConfigFile(write('bom.yaml', '\ufeffregions: [US]\n'))).toEqual({ regions: ['US'] });
    // YAML aliases are refused (an alias bomb would expand a small file into a huge document)
    expect(codeOf(() => loadPiiConfigFile(write('alias.yaml', 'a: &x [US]\nregions: *x\n')))).toMatch(/PII_INVALID_CONFIG/);
  });
  it('allow_list: configured and per-scan values are never reported; other findings stay, also inside JSON', async () => {
    const d = createDetector(parsePiiConfig({ allow_list: ['support@acme.com'] }));
    const text = 'write to support@acme.com or jane@acme.com, or call 212-555-0199';
    expect(d.scan(text).map((f) => text.slice(f.start, f.end))).toEqual(['jane@acme.com', '212-555-0199']);
    expect(d.scan(text, { allowList: ['212-555-0199'] }).map((f) => text.slice(f.start, f.end))).toEqual(['jane@acme.com']);
    // exact text only: another spelling is still personal data
    expect(d.scan('SUPPORT@acme.com').length).toBe(1);
    const pii = createPii({ crypto: createEphemeralPiiCrypto(), config: parsePiiConfig({ allow_list: ['support@acme.com'] }) });
    expect(pii.scanJson({ a: ['support@acme.com', 'jane@acme.com'] }).map((f) => f.path)).toEqual(['/a/1']);
    expect(codeOf(() => parsePiiConfig({ allow_list: 'x' }))).toMatch(/allow_list must be a list/);
    expect(codeOf(() => parsePiiConfig({ allow_list: [''] }))).toMatch(/allow_list\[0\] must be a non-empty string/);
  });
  it('a custom entity takes part in anonymization like a built-in one', async () => {
    const pii = createPii({ crypto: createEphemeralPiiCrypto(), config: parsePiiConfig({ recognizers: [{ entity: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b', score: 0.9 }] }) });
    const out = await pii.anonymize('EMP-123456 and EMP-654321 wrote', { operators: { EMPLOYEE_ID: { type: 'pseudonymize' } } });
    expect(out.text).toBe('<EMPLOYEE_ID_1> and <EMPLOYEE_ID_2> wrote');
  });
});

describe('warden pii --config', () => {
  const sink = () => {
    const s = new PassThrough();
    let out = '';
    s.on('data', (c) => (out += c));
    return { s, text: () => out };
  };
  it('scans with the recognizers of the file, and a wrong file exits 2 before reading the input', async () => {
    const cfg = write('cli.yaml', "recognizers:\n  - entity: EMPLOYEE_ID\n    pattern: '\\bEMP-\\d{6}\\b'\n    score: 0.9\n");
    const input = write('in.txt', 'ask EMP-123456\n');
    const out = sink();
    expect(await runPiiCli({ cmd: 'scan', file: input, json: true, configFile: cfg, stdout: out.s, stderr: sink().s })).toBe(1);
    expect(JSON.parse(out.text())).toMatchObject({ line: 1, start: 4, end: 14, type: 'EMPLOYEE_ID' });
    expect(await runPiiCli({ cmd: 'scan', file: input, json: true, stdout: sink().s, stderr: sink().s })).toBe(0);
    const err = sink();
    const bad = write('cli-bad.yaml', 'recognizers:\n  - entity: x\n    pattern: a\n');
    expect(await runPiiCli({ cmd: 'scan', file: input, json: true, configFile: bad, stdout: sink().s, stderr: err.s })).toBe(2);
    expect(err.text()).toMatch(/error PII_INVALID_CONFIG: .*cli-bad.yaml recognizers\[0\]: custom recognizer x: entity must be UPPER_SNAKE_CASE/);
  });
});

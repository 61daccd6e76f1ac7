import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { log: createLogger({ destination }), lines };
}

describe('the logger', () => {
  it('logs an error with its type, code, message and stack frames (it came out as "[object Object]")', () => {
    const { log, lines } = capture();
    const e = Object.assign(new TypeError('cannot read the thing'), { code: 'E_THING' });
    log.error({ err: e }, 'unhandled error');
    const line = JSON.parse(lines[0]);
    expect(line.msg).toBe('unhandled error');
    expect(line.err).toMatchObject({ type: 'TypeError', error_code: 'E_THING', message: 'cannot read the thing' });
    expect(line.err.stack[0]).toMatch(/^at /);
    expect(lines[0]).not.toContain('[object Object]');
  });

  it('leaves out what a parse error quotes of its input, and masks secrets in other messages', () => {
    const { log, lines } = capture();
    let parseError: unknown;
    try {
      JSON.parse('{"email": "jane.doe@example.com", oops}');
    } catch (e) {
      parseError = e;
    }
    log.error({ err: parseError }, 'unhandled error');
    log.warn({ error: new Error('bad token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl') }, 'x');
    expect(JSON.parse(lines[0]).err).toMatchObject({ type: 'SyntaxError', message: '[omitted: it may quote the input]' });
    expect(lines[0]).not.toContain('jane');
    expect(JSON.parse(lines[1]).error.type).toBe('Error');
    expect(lines[1]).not.toContain('eyJzdWIiOiIxIn0');
  });
});

#!/usr/bin/env node
// `npm run bench -- NAME`: runs bench/NAME.ts and prints its figures as one JSON line.
import { existsSync, readdirSync } from 'node:fs';
import './ts-loader.mjs';

const name = process.argv[2];
const dir = new URL('../bench/', import.meta.url);
const available = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
if (!name || !existsSync(new URL(`${name}.ts`, dir))) {
  process.stderr.write(`usage: npm run bench -- NAME   (one of: ${available.join(', ')})\n`);
  process.exit(2);
}
const mod = await import(new URL(`${name}.ts`, dir).href);
if (typeof mod.run !== 'function') {
  process.stderr.write(`bench/${name}.ts exports no run()\n`);
  process.exit(2);
}
const figures = await mod.run();
process.stdout.write(JSON.stringify({ bench: name, ...figures }) + '\n');
process.exit(0);

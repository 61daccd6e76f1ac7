#!/usr/bin/env node
// Warden's command line: runs the TypeScript sources through esbuild's type stripping (ts-loader.mjs).
import './ts-loader.mjs';

const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));

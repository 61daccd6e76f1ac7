// Module hooks that run Warden's TypeScript sources directly: `./x.js` specifiers resolve to
// `./x.ts` where only the TypeScript file exists, and `.ts` files are transpiled by esbuild
// (types stripped, nothing else changed). Unlike tsx, functions are not wrapped to keep their
// names (esbuild's keepNames), which costs a property definition per closure on hot paths.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const isTs = (url) => url.startsWith('file:') && url.endsWith('.ts');

export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent && parent.startsWith('file:') && !parent.includes('/node_modules/') && (specifier.startsWith('.') || specifier.startsWith('file:'))) {
    const url = new URL(specifier, parent);
    if (url.pathname.endsWith('.ts')) return { url: url.href, format: 'module', shortCircuit: true };
    if (url.pathname.endsWith('.js') && !existsSync(fileURLToPath(url))) {
      const ts = new URL(url.href.replace(/\.js$/, '.ts'));
      if (existsSync(fileURLToPath(ts))) return { url: ts.href, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!isTs(url)) return next(url, context);
  const file = fileURLToPath(url);
  // target es2022 as in tsconfig.json, not 'node20': for a node target esbuild rewrites every regex
  // literal with \p{…} as new RegExp(...), which inside a function builds the pattern again on each call.
  const { code } = await transform(await readFile(file, 'utf8'), {
    loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'inline', sourcefile: file,
  });
  return { format: 'module', source: code, shortCircuit: true };
}

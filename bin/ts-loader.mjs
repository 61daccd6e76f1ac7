// `node --import ./bin/ts-loader.mjs file.ts`: registers the TypeScript hooks (ts-hooks.mjs).
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./ts-hooks.mjs', import.meta.url);

import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/** Writes .gz and .br beside every JS/CSS asset: the server sends them pre-compressed. */
function precompress(): Plugin {
  return {
    name: 'warden-precompress',
    apply: 'build',
    generateBundle(_opts, bundle) {
      for (const [name, out] of Object.entries(bundle)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const src = out.type === 'chunk' ? out.code : out.source;
        const buf = Buffer.from(typeof src === 'string' ? src : src);
        if (buf.length < 1024) continue;
        this.emitFile({ type: 'asset', fileName: `${name}.gz`, source: gzipSync(buf, { level: 9 }) });
        this.emitFile({ type: 'asset', fileName: `${name}.br`, source: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }) });
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
});

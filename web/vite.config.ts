import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev -w web` proxies the API; ZHILI_API points it at another server (e.g. http://127.0.0.1:3100)
const api = process.env.ZHILI_API || 'http://127.0.0.1:3000';

/** Writes .br and .gz next to every text file of the build, for the server to send as they are. */
function preCompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'zhili-pre-compress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (fs.readdirSync(outDir, { recursive: true }) as string[]).filter((f) => /\.(js|css|html|svg|json|txt)$/.test(f));
      await Promise.all(
        files.map(async (f) => {
          const file = path.join(outDir, f);
          const body = await fs.promises.readFile(file);
          if (body.length < 1024) return;
          const br = zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
          await fs.promises.writeFile(`${file}.br`, br);
          await fs.promises.writeFile(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
        }),
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), preCompress()],
  server: { port: 5173, proxy: { '/api': { target: api, changeOrigin: false } } },
  preview: { proxy: { '/api': { target: api } } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // fold the many tiny shared chunks (single icons, small helpers) into their neighbours: fewer requests
        experimentalMinChunkSize: 40 * 1024,
      },
    },
  },
});

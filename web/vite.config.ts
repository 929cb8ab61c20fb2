import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// Development: `npm run dev:web` serves the app with hot reload on :5173 and forwards the API
// to a running server (`npm start`, or BETABOARD_API_URL).
const apiTarget = process.env.BETABOARD_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed names under assets/ get a year-long immutable cache from the server.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget },
      '/health': { target: apiTarget },
    },
  },
});

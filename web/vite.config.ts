// The dashboard's build: web/src → web/dist, served by the Worker as static assets (or by Pages).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    // `npm run web:dev`: hot reload against the Worker `npm start` runs.
    proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true }, "/v1": "http://127.0.0.1:8787", "/hooks": "http://127.0.0.1:8787", "/health": "http://127.0.0.1:8787", "/widget": "http://127.0.0.1:8787" },
  },
});

import { defineConfig } from "vitest/config";

// The Go server serves the built app and the API from one origin; in
// development Vite proxies the API to a running `linklab serve`.
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022" },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});

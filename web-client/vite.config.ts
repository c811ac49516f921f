import { defineConfig } from "vite";

// The server serves dist/ at /, and the WebSocket at /ws on the same origin.
export default defineConfig({
  build: { outDir: "dist", sourcemap: true, target: "es2022" },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});

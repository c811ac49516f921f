import { defineConfig } from "vite";

// The server serves dist/ at /, and the WebSocket at /ws on the same origin.
// The page chrome is Preact components (src/components/): esbuild compiles their JSX,
// no plugin needed.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", sourcemap: true, target: "es2022" },
  test: { environment: "node", include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});

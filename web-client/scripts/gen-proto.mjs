// Generates TypeScript for protocol/*.proto into src/gen/ with Debian's protoc and
// @bufbuild/protoc-gen-es, and src/gen/schema.ts from protocol/schema.json with
// protocol/gen_schema.mjs. Run by `npm run build` and `npm test`. `npm run gen -- --cpp`
// also rewrites the server's committed server/model/schema_table.inc from schema.json
// (npm test only checks it: src/sync/schema.test.ts).
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "../../protocol/gen_schema.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const protoDir = join(root, "..", "protocol");
const out = join(root, "src", "gen");
mkdirSync(out, { recursive: true });
execFileSync("protoc", [
  `--plugin=protoc-gen-es=${join(root, "node_modules", ".bin", "protoc-gen-es")}`,
  `--es_out=${out}`,
  "--es_opt=target=ts,import_extension=none",
  `-I${protoDir}`,
  "board.proto",
  "sync.proto",
], { stdio: "inherit" });
for (const p of generate({ cpp: process.argv.includes("--cpp"), ts: join(out, "schema.ts") })) console.log(`wrote ${p}`);

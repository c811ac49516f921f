// Generates TypeScript for protocol/*.proto into src/gen/ with Debian's protoc and
// @bufbuild/protoc-gen-es. Run by `npm run build` and `npm test`.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

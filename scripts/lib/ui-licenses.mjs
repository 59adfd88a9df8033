// Prints the licence of every npm package whose code ends up in the UI bundle the app embeds. Which
// packages those are is read from the bundle's own source map (a throwaway build), not from a list.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const outDir = mkdtempSync(join(tmpdir(), "catalog-desk-ui-"));
try {
  execFileSync("npx", ["vite", "build", "--sourcemap", "--outDir", outDir, "--logLevel", "error"], {
    cwd: "ui",
    stdio: ["ignore", "ignore", "inherit"],
  });
  const packages = new Set();
  for (const file of readdirSync(join(outDir, "assets")).filter((f) => f.endsWith(".js.map"))) {
    for (const source of JSON.parse(readFileSync(join(outDir, "assets", file), "utf8")).sources) {
      const match = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
      if (match) packages.add(match[1]);
    }
  }
  for (const name of [...packages].sort()) {
    const dir = join("node_modules", name);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const licenceFiles = readdirSync(dir).filter((f) => /^(licen[cs]e|copying)/i.test(f));
    if (licenceFiles.length === 0) throw new Error(`${name} ships no licence file`);
    console.log(`${"=".repeat(78)}\n${name} ${manifest.version} — ${manifest.license}\n${"=".repeat(78)}`);
    for (const file of licenceFiles) console.log(readFileSync(join(dir, file), "utf8").trim() + "\n");
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}

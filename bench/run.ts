/**
 * `npm run bench [-- NAME…]`: runs every bench/*.bench.ts (or those whose name contains one of NAMEs)
 * one after another. Each prints its own figures; none is part of `npm test`.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const mod = (await import(pathToFileURL(`${here}/${file}`).href)) as { run: () => Promise<void> };
  await mod.run();
}
process.exit(0);

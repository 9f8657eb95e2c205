import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded database's data directory holds every conversation and the token secret: only kefu's own
 * user may enter it. A new directory is made 0700; an existing one that others can write is refused (someone
 * else could swap the database under kefu); one that others can only read is closed to them (0700).
 */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  const mode = st.mode & 0o777;
  if (mode & 0o022) {
    throw new Error(
      `the data directory ${dir} can be written by other users (mode ${mode.toString(8)}); kefu keeps conversations and its token secret there. ` +
        `Make it private (chmod 700 ${dir}) and start again.`,
    );
  }
  if (process.getuid && st.uid !== process.getuid()) {
    throw new Error(`the data directory ${dir} belongs to another user (uid ${st.uid}); run kefu as that user or give kefu a directory of its own`);
  }
  if (mode & 0o077) chmodSync(dir, 0o700);
}

/**
 * Takes group and other permissions off everything in the directory: PGlite writes its files 0666 whatever
 * the umask. (The 0700 directory already keeps others out; this keeps a copied or moved directory private too.)
 */
export function tightenDataDir(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const mode = lstatSync(path).mode & 0o777;
    if (mode & 0o077) chmodSync(path, mode & 0o700);
    if (entry.isDirectory()) tightenDataDir(path);
  }
}

/** A one-line progress bar on stderr when it is a terminal; silent otherwise. */
export function progressBar() {
  const tty = process.stderr.isTTY;
  let shown = false;
  return {
    update(p: { done: number; total: number; path: string }) {
      if (!tty || !p.total) return;
      const width = 28;
      const filled = Math.round((p.done / p.total) * width);
      const name = p.path.length > 40 ? `…${p.path.slice(-39)}` : p.path;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${name}`.padEnd(90));
      shown = true;
    },
    done() {
      if (tty && shown) process.stderr.write('\n');
    },
  };
}

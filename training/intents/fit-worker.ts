/** Worker thread of fit.ts: fits one job and posts back the fitted model (stored form). */
import { parentPort, workerData } from 'node:worker_threads';
import { embedderNamed } from './embedders.ts';
import type { TextEmbedder } from './text-embedder.ts';
import { fit, storedFit, type FitJob } from './fit.ts';

const job = workerData as FitJob;
try {
  const e = job.embedder;
  const embedder: TextEmbedder | undefined = !e ? undefined : e.vectors ? { name: e.name, dim: e.dim, embed: (text) => e.vectors!.get(text) ?? null } : embedderNamed(e.name);
  parentPort!.postMessage({ model: storedFit(fit(job.data, job.settings, embedder)) });
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}

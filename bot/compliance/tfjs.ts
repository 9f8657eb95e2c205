/**
 * TF.js for the bundled image moderation model, loaded on first use: most processes
 * never need it. The backend is process-wide; WebAssembly (SIMD) is preferred, the plain CPU backend is
 * the fallback.
 */
import type * as Tf from '@tensorflow/tfjs';

export async function loadTf(backend: 'wasm' | 'cpu' = 'wasm'): Promise<typeof Tf> {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend).catch(() => false);
    if (!ok) await tf.setBackend('cpu');
  }
  await tf.ready();
  return tf;
}

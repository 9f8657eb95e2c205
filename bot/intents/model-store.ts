/** Intent model versions in the store (table intent_models): save a new version, load the newest. */
import type { Db } from '../turn/database.ts';
import { loadEmbedder } from '../../training/intents/embedders.ts';
import { deserializeModel, embeddersOf, serializeModel, type IntentModel } from '../../training/intents/model.ts';

export interface StoredModel {
  version: number;
  dataHash: string;
  createdAt: Date;
  model: IntentModel;
  metrics: Record<string, unknown>;
}

export async function saveIntentModel(db: Db, botId: string, model: IntentModel, dataHash: string, metrics: Record<string, unknown>): Promise<number> {
  return db.withLock(`intent-models:${botId}`, async () => {
    const rows = await db.query<{ version: number }>(
      `insert into intent_models (bot_id, version, data_hash, model, metrics)
       select $1, coalesce(max(version), 0) + 1, $2, $3::jsonb, $4::jsonb from intent_models where bot_id = $1
       returning version`,
      [botId, dataHash, JSON.stringify(serializeModel(model)), JSON.stringify(metrics)],
    );
    return Number(rows[0]!.version);
  });
}

export async function loadNewestIntentModel(db: Db, botId: string): Promise<StoredModel | null> {
  const rows = await db.query<{ version: number; data_hash: string; created_at: Date; model: unknown; metrics: Record<string, unknown> }>(
    'select version, data_hash, created_at, model, metrics from intent_models where bot_id = $1 order by version desc limit 1',
    [botId],
  );
  const row = rows[0];
  if (!row) return null;
  const json = typeof row.model === 'string' ? JSON.parse(row.model) : row.model;
  for (const name of embeddersOf(json)) await loadEmbedder(name);
  return { version: Number(row.version), dataHash: row.data_hash, createdAt: new Date(row.created_at), model: deserializeModel(json), metrics: row.metrics };
}

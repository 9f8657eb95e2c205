import type { FastifyInstance } from 'fastify';
import type { HelpEntry } from '../content/help-articles.ts';
import { blocksHtml, escapeHtml } from './help-html.ts';

/** Serves the bot's help centre as pages, so every source under an answer links to its passage: /help/:lang/:topic#anchor. */
export async function helpPages(app: FastifyInstance, opts: { entries: HelpEntry[]; botName: Record<'zh' | 'en', string> }) {
  const byPage = new Map<string, HelpEntry[]>();
  for (const e of opts.entries) {
    const key = e.id.split('#')[0]!;
    byPage.set(key, [...(byPage.get(key) ?? []), e]);
  }

  const page = (lang: string, title: string, body: string) => `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:760px;margin:0 auto;padding:24px;color:#1f2933}
h2{margin-top:2em;scroll-margin-top:16px}:target{background:#fff7d6;border-radius:6px}table{border-collapse:collapse}td,th{border:1px solid #d9dee3;padding:4px 10px}a{color:#2156d1}</style>
</head><body>${body}</body></html>`;

  app.get('/help', async (_req, reply) => {
    const links = [...byPage.entries()]
      .map(([key, entries]) => `<li><a href="/help/${escapeHtml(key)}">${escapeHtml(entries[0]!.topic)}</a> <small>(${escapeHtml(key.split('/')[0]!)})</small></li>`)
      .join('');
    reply.type('text/html; charset=utf-8');
    return page('en', 'Help centre', `<h1>${escapeHtml(opts.botName.en)} — Help centre / 帮助中心</h1><ul>${links}</ul>`);
  });

  app.get<{ Params: { lang: string; topic: string } }>('/help/:lang/:topic', async (req, reply) => {
    const entries = byPage.get(`${req.params.lang}/${req.params.topic}`);
    if (!entries) {
      reply.code(404).type('text/html; charset=utf-8');
      return page('en', 'Not found', '<h1>Not found / 未找到</h1><p><a href="/help">Help centre / 帮助中心</a></p>');
    }
    const lang = entries[0]!.lang;
    const sections = entries.map((e) => `<section id="${escapeHtml(e.anchor)}"><h2>${escapeHtml(e.question)}</h2>${blocksHtml(e.blocks)}</section>`).join('\n');
    reply.type('text/html; charset=utf-8');
    return page(lang, entries[0]!.topic, `<p><a href="/help">${lang === 'zh' ? '帮助中心' : 'Help centre'}</a></p><h1>${escapeHtml(entries[0]!.topic)}</h1>${sections}`);
  });
}

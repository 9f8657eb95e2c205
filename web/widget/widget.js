/*
 * kefu chat widget — one <script> tag puts it on any page:
 *
 *   <script src="https://kefu.example.com/widget.js" async></script>
 *
 * Optional attributes on the script tag:
 *   data-kefu-server  server origin (default: the origin of this script's src)
 *   data-locale       "zh" | "en" (default: from navigator.language)
 *   data-title        header title (default: localized "Customer service")
 *   data-color        accent colour, any CSS colour (default: #4f46e5)
 *
 * Plain JavaScript, no build step. Everything lives in a Shadow DOM so host page styles
 * cannot break it. Text from the customer or the server is only ever set with textContent;
 * links are built with createElement and accept http(s) or server-relative URLs only.
 */
(() => {
  'use strict';

  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || window.__kefuWidgetLoaded) return;
  window.__kefuWidgetLoaded = true;

  const STRINGS = {
    en: {
      title: 'Customer service',
      subtitle: 'We usually reply in seconds',
      open: 'Open chat',
      close: 'Close chat',
      placeholder: 'Type your message…',
      send: 'Send',
      connecting: 'Connecting…',
      reconnecting: 'Reconnecting…',
      human: 'Talk to a human',
      humanRequest: 'I would like to talk to a human agent, please.',
      welcome: 'Hi! How can we help you today?',
      typing: 'Support is typing…',
      sources: 'Sources',
      you: 'You',
      bot: 'Assistant',
      agent: 'Agent',
      agentNamed: '{agent} · Agent',
      handoffQueued: 'Waiting for an agent — number {position} in the queue, about {minutes} min',
      handoffClaimed: '{agent} is chatting with you',
      handoffMessageTaken: 'No agent can come right now — leave a message here and they will reply in this chat',
      notSent: 'Not sent.',
      retry: 'Retry',
      errorNetwork: 'We could not reach the service. Check your connection and try again.',
      errorTooLong: 'That message is too long (4000 characters at most).',
      errorBusy: 'Too many messages at once — please wait a moment and try again.',
      errorGeneric: 'Something went wrong. Please try again.',
      attach: 'Attach an image',
      removeImage: 'Remove image',
      image: 'Image',
      imageNotSupported: 'Only PNG, JPEG, GIF or WebP images can be sent.',
      imageTooLarge: 'That image is too large (1 MB at most).',
      imageTooManyPixels: 'That image has too many pixels to read. Please send a smaller picture or a screenshot.',
      imageTooManyFrames: 'That animation is too large to read. Please send a still picture.',
      imageUnreadable: 'That image could not be read: the file is incomplete or damaged. Please send it again.',
      imageEmpty: 'That image file is empty.',
      imageTooMany: 'Two images a message at most.',
    },
    zh: {
      title: '在线客服',
      subtitle: '通常几秒内回复',
      open: '打开在线客服',
      close: '关闭对话',
      placeholder: '请输入您的问题…',
      send: '发送',
      connecting: '正在连接…',
      reconnecting: '正在重新连接…',
      human: '转人工',
      humanRequest: '您好，我想转人工客服。',
      welcome: '您好！请问有什么可以帮您？',
      typing: '客服正在输入…',
      sources: '参考来源',
      you: '我',
      bot: '智能客服',
      agent: '人工客服',
      agentNamed: '{agent} · 人工客服',
      handoffQueued: '正在等待人工客服 — 您排在第 {position} 位，预计约 {minutes} 分钟',
      handoffClaimed: '人工客服 {agent} 正在为您服务',
      handoffMessageTaken: '人工客服暂时无法接入 — 请在这里留言，客服会在本对话中回复您',
      notSent: '未发送。',
      retry: '重试',
      errorNetwork: '暂时无法连接客服，请检查网络后重试。',
      errorTooLong: '消息太长了（最多 4000 个字符）。',
      errorBusy: '消息发送过于频繁，请稍候再试。',
      errorGeneric: '出了点问题，请稍后重试。',
      attach: '添加图片',
      removeImage: '移除图片',
      image: '图片',
      imageNotSupported: '只能发送 PNG、JPEG、GIF 或 WebP 格式的图片。',
      imageTooLarge: '图片太大了（最多 1 MB）。',
      imageTooManyPixels: '图片像素太多，无法识别。请发送小一些的图片或截图。',
      imageTooManyFrames: '动图太大，无法识别。请发送一张静态图片。',
      imageUnreadable: '图片无法读取：文件不完整或已损坏，请重新发送。',
      imageEmpty: '图片文件是空的。',
      imageTooMany: '每条消息最多两张图片。',
    },
  };

  const MAX_TEXT = 4000;
  /** What the web API takes: two images a message, each a PNG, JPEG, GIF or WebP of at most 1 MB. */
  const MAX_IMAGES = 2;
  const MAX_IMAGE_BYTES = 1024 * 1024;
  const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
  /** Socket error codes about the conversation token; the socket closes (4401/4403) right after them. */
  const AUTH_ERRORS = ['missing_token', 'invalid_token', 'forbidden', 'unknown_conversation'];
  const ACK_TIMEOUT_MS = 8000;
  const REPLY_TIMEOUT_MS = 45000;

  // ---------- configuration (pure) ----------

  function pickLocale(explicit, languages) {
    if (explicit === 'zh' || explicit === 'en') return explicit;
    const first = (languages && languages[0]) || 'en';
    return /^zh\b/i.test(first) ? 'zh' : 'en';
  }

  function serverOrigin(el) {
    const configured = el.getAttribute('data-kefu-server');
    try {
      return new URL(configured || el.src, location.href).origin;
    } catch {
      return location.origin;
    }
  }

  /** A URL safe to put in href: http(s) absolute, or relative to the server origin. */
  function safeHref(raw, origin) {
    if (typeof raw !== 'string' || raw.trim() === '') return null;
    try {
      const url = new URL(raw, origin + '/');
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  /**
   * Splits server text into plain and **strong** runs and turns "- " list markers into bullets.
   * Pure: returns [{ text, strong }] that the renderer turns into text nodes (never HTML).
   */
  function textRuns(text) {
    const bulleted = text.replace(/^(\s*)[-*] /gm, '$1• ');
    return bulleted.split(/\*\*(\S(?:[^*]*?\S)?)\*\*/).map((part, i) => ({ text: part, strong: i % 2 === 1 })).filter((r) => r.text);
  }

  /** A pipe table's delimiter row: `|---|:---:|`, pipes at the ends optional. */
  const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

  /** The cells of a pipe-table row (`\|` is a pipe inside a cell). */
  function tableCells(line) {
    let row = line.trim();
    if (row.startsWith('|')) row = row.slice(1);
    if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
    // no look-behind in a regular expression: older Safari would refuse to parse the whole widget
    const cells = [''];
    for (let i = 0; i < row.length; i++) {
      if (row[i] === '\\' && row[i + 1] === '|') cells[cells.length - 1] += row[++i];
      else if (row[i] === '|') cells.push('');
      else cells[cells.length - 1] += row[i];
    }
    return cells.map((cell) => cell.trim());
  }

  function startsTable(lines, i) {
    const header = lines[i];
    const delimiter = lines[i + 1];
    if (header === undefined || delimiter === undefined || !header.includes('|') || !delimiter.includes('|')) return false;
    return DELIMITER_ROW.test(delimiter) && tableCells(header).length === tableCells(delimiter).length;
  }

  /**
   * Splits server text into text blocks and Markdown pipe tables. Pure: returns
   * [{ text }] and [{ table: { headers, align, rows } }] that the renderer turns into DOM nodes (never HTML).
   * Rows have exactly as many cells as the header (short rows padded, extra cells dropped).
   */
  function textBlocks(text) {
    const lines = String(text).split('\n');
    const blocks = [];
    let buffer = [];
    const flush = () => {
      while (buffer.length && buffer[buffer.length - 1].trim() === '') buffer.pop();
      if (buffer.length) blocks.push({ text: buffer.join('\n') });
      buffer = [];
    };
    for (let i = 0; i < lines.length;) {
      if (!startsTable(lines, i)) {
        if (buffer.length || lines[i].trim() !== '' || blocks.length === 0) buffer.push(lines[i]);
        i++;
        continue;
      }
      flush();
      const headers = tableCells(lines[i]);
      const align = tableCells(lines[i + 1]).map((d) => (d.endsWith(':') ? (d.startsWith(':') ? 'center' : 'right') : 'left'));
      const rows = [];
      for (i += 2; i < lines.length && lines[i].trim() !== '' && lines[i].includes('|'); i++) {
        const cells = tableCells(lines[i]);
        rows.push(headers.map((_, c) => cells[c] || ''));
      }
      blocks.push({ table: { headers, align, rows } });
    }
    flush();
    return blocks;
  }

  /**
   * The banner text for a handoff's state (a message's `handoffNotice`), or '' when there is none to show
   * (the agent handed back to the bot). Pure.
   */
  function handoffBanner(notice, strings) {
    if (!notice || typeof notice.state !== 'string') return '';
    const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
    if (notice.state === 'queued' && Number.isInteger(notice.position) && Number.isInteger(notice.minutes)) return fill(strings.handoffQueued, notice);
    if (notice.state === 'claimed' && typeof notice.agent === 'string') return fill(strings.handoffClaimed, notice);
    if (notice.state === 'message_taken') return strings.handoffMessageTaken;
    return '';
  }

  function backoffDelay(attempt) {
    const base = Math.min(30000, 1000 * 2 ** attempt);
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  function newClientMessageId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  const origin = serverOrigin(script);
  const locale = pickLocale(script.getAttribute('data-locale'), navigator.languages || [navigator.language]);
  const t = STRINGS[locale];
  const title = script.getAttribute('data-title') || t.title;
  const accent = script.getAttribute('data-color') || '';
  const storageKey = 'kefu:conversation:' + origin;

  // ---------- storage ----------

  const storage = {
    load() {
      try {
        const value = JSON.parse(localStorage.getItem(storageKey) || 'null');
        return value && typeof value.conversationId === 'string' && typeof value.token === 'string' ? value : null;
      } catch {
        return null;
      }
    },
    save(session) {
      try {
        localStorage.setItem(storageKey, JSON.stringify(session));
      } catch {
        /* storage may be unavailable (private mode); the chat still works for this page view */
      }
    },
    clear() {
      try {
        localStorage.removeItem(storageKey);
      } catch {
        /* ignore */
      }
    },
  };

  // ---------- HTTP API ----------

  class ApiError extends Error {
    constructor(status, code, message, reason) {
      super(message || code || 'HTTP ' + status);
      this.status = status;
      this.code = code;
      this.reason = reason;
    }
  }

  async function api(method, path, token, body) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(origin + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        mode: 'cors',
        credentials: 'omit',
      });
    } catch {
      throw new ApiError(0, 'network');
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (data && data.error) || {};
      throw new ApiError(response.status, error.code, error.message, error.reason);
    }
    return data;
  }

  // ---------- DOM helpers ----------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === false || value == null) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) if (child) el.append(child);
    return el;
  }

  function icon(...paths) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (const d of paths) {
      const path = document.createElementNS(ns, 'path');
      path.setAttribute('d', d);
      svg.append(path);
    }
    return svg;
  }

  const ICON_CHAT = 'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.6.5-1.8.1-1.8-.8V5.5z';
  const ICON_CLOSE = 'M6 6l12 12M18 6L6 18';
  const ICON_SEND = 'M4 12l16-8-6 16-2.5-6.5L4 12z';
  const ICON_ATTACH = 'M20 11.5l-7.6 7.6a5 5 0 0 1-7.1-7.1l8-8a3.3 3.3 0 0 1 4.7 4.7l-8 8a1.7 1.7 0 0 1-2.4-2.4l7.3-7.3';
  const ICON_PERSON = 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8c.6-3.4 3.4-6 7-6s6.4 2.6 7 6';

  const CSS = `
:host { all: initial; }
*, *::before, *::after { box-sizing: border-box; }
.root {
  --accent: ${plainColor(accent) || '#4f46e5'};
  --ink: #1f2430; --muted: #6b7280; --line: #e6e8ee; --bg: #ffffff; --soft: #f4f5f8;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  color: var(--ink);
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
}
button { font: inherit; color: inherit; cursor: pointer; }
button:focus-visible, textarea:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
svg { width: 22px; height: 22px; fill: none; stroke: currentColor; stroke-width: 1.8; stroke-linecap: round; stroke-linejoin: round; }
.launcher {
  width: 58px; height: 58px; border-radius: 50%; border: 0; background: var(--accent); color: #fff;
  display: grid; place-items: center; box-shadow: 0 8px 24px rgba(15, 23, 42, .25); transition: transform .15s ease;
}
.launcher:hover { transform: scale(1.05); }
.launcher svg { width: 28px; height: 28px; }
.panel {
  position: absolute; right: 0; bottom: 72px; width: 400px; height: min(640px, calc(100vh - 112px));
  background: var(--bg); border-radius: 16px; overflow: hidden; display: flex; flex-direction: column;
  box-shadow: 0 18px 50px rgba(15, 23, 42, .28), 0 0 0 1px rgba(15, 23, 42, .06);
}
.panel[hidden] { display: none; }
header { background: var(--accent); color: #fff; padding: 14px 12px 14px 16px; display: flex; align-items: center; gap: 10px; }
.avatar { width: 38px; height: 38px; border-radius: 50%; background: rgba(255,255,255,.22); display: grid; place-items: center; flex: none; }
.heading { flex: 1; min-width: 0; }
h2 { margin: 0; font-size: 16px; font-weight: 600; line-height: 1.25; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.subtitle { margin: 2px 0 0; font-size: 12.5px; opacity: .85; }
.footer { display: flex; align-items: center; justify-content: space-between; padding: 0 12px 10px; background: #fff; }
.human { display: inline-flex; align-items: center; gap: 5px; border: 0; background: transparent; color: var(--muted); border-radius: 8px; padding: 4px 6px; font-size: 12.5px; }
.human svg { width: 15px; height: 15px; }
.human:hover { color: var(--accent); background: var(--soft); }
.brand { font-size: 11.5px; color: #b0b5c0; letter-spacing: .03em; }
.close { border: 0; background: transparent; color: #fff; width: 34px; height: 34px; border-radius: 8px; display: grid; place-items: center; }
.close:hover { background: rgba(255,255,255,.14); }
.status { background: #fff7e6; color: #8a5300; font-size: 12.5px; padding: 6px 16px; border-bottom: 1px solid #f3e1bd; }
.status[hidden] { display: none; }
.handoff { background: #ecfdf3; color: #05603a; font-size: 12.5px; padding: 7px 16px; border-bottom: 1px solid #c6f0d8; display: flex; gap: 6px; align-items: center; }
.handoff[hidden] { display: none; }
.handoff svg { width: 15px; height: 15px; flex: none; }
.msg.out[data-author=agent] .author { color: #05603a; font-weight: 600; }
.msg.out[data-author=agent] .bubble { background: #ecfdf3; border-color: #a6e3c0; }
.log { position: relative; flex: 1; overflow-y: auto; padding: 16px 14px 8px; background: var(--soft); display: flex; flex-direction: column; gap: 10px; overscroll-behavior: contain; }
.msg { display: flex; flex-direction: column; max-width: 86%; }
.msg.in { align-self: flex-end; align-items: flex-end; }
.msg.out { align-self: flex-start; align-items: flex-start; }
.author { font-size: 12px; color: var(--muted); margin: 0 4px 3px; }
.bubble strong { font-weight: 600; }
.bubble { padding: 9px 13px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 100%; min-width: 0; }
.table { max-width: 100%; overflow-x: auto; margin: 6px 0; overscroll-behavior-x: contain; }
.table:first-child { margin-top: 2px; }
.table:last-child { margin-bottom: 2px; }
.table table { border-collapse: collapse; font-size: 13.5px; line-height: 1.35; white-space: normal; overflow-wrap: normal; }
.table th, .table td { border: 1px solid var(--line); padding: 5px 8px; vertical-align: top; }
.table th { background: var(--soft); font-weight: 600; white-space: nowrap; }
.table td { min-width: 7em; }
.in .bubble { background: var(--accent); color: #fff; border-bottom-right-radius: 5px; }
.out .bubble { background: #fff; border: 1px solid var(--line); border-bottom-left-radius: 5px; }
.msg.pending .bubble { opacity: .7; }
.msg.failed .bubble { opacity: .6; }
.failure { font-size: 12.5px; color: #b42318; margin: 4px 4px 0; }
.failure button { border: 0; background: none; color: #b42318; text-decoration: underline; padding: 0 0 0 4px; }
.sources { margin: 6px 4px 0; font-size: 12.5px; color: var(--muted); }
.sources ul { list-style: none; margin: 2px 0 0; padding: 0; display: flex; flex-direction: column; gap: 2px; }
.sources li { display: flex; gap: 6px; }
.sources li::before { content: "•"; color: #b0b5c0; }
.sources a { color: var(--accent); text-decoration: none; }
.sources a::after { content: " ↗"; font-size: 11px; }
.sources a:hover { text-decoration: underline; }
.quick { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.quick button { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 999px; padding: 5px 12px; font-size: 13.5px; }
.quick button:hover { background: var(--accent); color: #fff; }
.system { align-self: center; max-width: 92%; font-size: 12.5px; color: var(--muted); text-align: center; white-space: pre-wrap; }
.system.error { color: #b42318; }
.typing { align-self: flex-start; background: #fff; border: 1px solid var(--line); border-radius: 16px; border-bottom-left-radius: 5px; padding: 12px 14px; display: flex; gap: 4px; }
.typing[hidden] { display: none; }
.typing span { width: 7px; height: 7px; border-radius: 50%; background: #a3a9b6; animation: kefu-blink 1.2s infinite ease-in-out; }
.typing span:nth-child(2) { animation-delay: .15s; }
.typing span:nth-child(3) { animation-delay: .3s; }
@keyframes kefu-blink { 0%, 80%, 100% { opacity: .3; transform: translateY(0); } 40% { opacity: 1; transform: translateY(-3px); } }
form { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px 6px; border-top: 1px solid var(--line); background: #fff; }
textarea {
  flex: 1; resize: none; border: 1px solid var(--line); border-radius: 12px; padding: 9px 12px; max-height: 120px;
  font: inherit; color: inherit; background: #fff; line-height: 1.4;
}
textarea:focus { border-color: var(--accent); outline: none; box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 18%, transparent); }
.send { width: 40px; height: 40px; flex: none; border: 0; border-radius: 12px; background: var(--accent); color: #fff; display: grid; place-items: center; }
.send:disabled { opacity: .45; cursor: default; }
.attach { width: 40px; height: 40px; flex: none; border: 0; border-radius: 12px; background: transparent; color: var(--muted); display: grid; place-items: center; }
.attach:hover { color: var(--accent); background: var(--soft); }
.tray { display: flex; gap: 8px; padding: 8px 12px 0; background: #fff; border-top: 1px solid var(--line); }
.tray[hidden] { display: none; }
.tray figure { position: relative; margin: 0; }
.tray img { width: 56px; height: 56px; object-fit: cover; border-radius: 8px; border: 1px solid var(--line); display: block; }
.tray button { position: absolute; top: -6px; right: -6px; width: 20px; height: 20px; border-radius: 50%; border: 0; background: #1f2430; color: #fff; font-size: 12px; line-height: 20px; padding: 0; }
.panel.dropping .log { outline: 2px dashed var(--accent); outline-offset: -8px; }
.bubble img { display: block; max-width: 200px; max-height: 200px; border-radius: 10px; margin: 2px 0; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  .root { right: 14px; bottom: 14px; }
  .root.open { inset: 0; }
  .root.open .launcher { display: none; }
  .panel { position: fixed; inset: 0; width: 100%; height: 100%; border-radius: 0; }
  textarea { font-size: 16px; }
}
@media (prefers-reduced-motion: reduce) { .typing span, .launcher { animation: none; transition: none; } }
`;

  /** Accept only a plain CSS colour so data-color cannot inject rules. */
  function plainColor(value) {
    return /^(#[0-9a-f]{3,8}|[a-z]+|(rgb|hsl)a?\([\d\s.,%/]+\))$/i.test(value) ? value : '';
  }

  // ---------- UI ----------

  const host = h('div', { id: 'kefu-widget' });
  const shadow = host.attachShadow({ mode: 'open' });

  const launcher = h('button', {
    class: 'launcher', type: 'button', 'aria-label': t.open, 'aria-expanded': 'false', 'aria-controls': 'kefu-panel',
  }, icon(ICON_CHAT));
  const closeButton = h('button', { class: 'close', type: 'button', 'aria-label': t.close }, icon(ICON_CLOSE));
  const humanButton = h('button', { class: 'human', type: 'button' }, icon(ICON_PERSON), h('span', { text: t.human }));
  const status = h('div', { class: 'status', role: 'status', hidden: true });
  const handoffText = h('span');
  const handoff = h('div', { class: 'handoff', role: 'status', hidden: true }, icon(ICON_PERSON), handoffText);
  const typing = h('div', { class: 'typing', role: 'status', 'aria-label': t.typing, hidden: true },
    h('span'), h('span'), h('span'));
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': title }, typing);
  const input = h('textarea', {
    rows: '1', placeholder: t.placeholder, 'aria-label': t.placeholder, maxlength: String(MAX_TEXT), enterkeyhint: 'send',
  });
  const sendButton = h('button', { class: 'send', type: 'submit', 'aria-label': t.send, title: t.send }, icon(ICON_SEND));
  const fileInput = h('input', { type: 'file', accept: IMAGE_TYPES.join(','), multiple: true, hidden: true, 'aria-hidden': 'true', tabindex: '-1' });
  const attachButton = h('button', { class: 'attach', type: 'button', 'aria-label': t.attach, title: t.attach }, icon(ICON_ATTACH));
  /** The images chosen for the next message, shown small above the text box until it is sent. */
  const tray = h('div', { class: 'tray', hidden: true });
  const form = h('form', null, attachButton, fileInput, input, sendButton);
  const panel = h('section', { class: 'panel', id: 'kefu-panel', role: 'dialog', 'aria-label': title, hidden: true },
    h('header', null,
      h('div', { class: 'avatar' }, icon(ICON_CHAT)),
      h('div', { class: 'heading' }, h('h2', { text: title }), h('p', { class: 'subtitle', text: t.subtitle })),
      closeButton),
    status, handoff, log, tray, form,
    h('div', { class: 'footer' }, humanButton, h('span', { class: 'brand', text: 'kefu' })));
  const root = h('div', { class: 'root', lang: locale === 'zh' ? 'zh-CN' : 'en' }, panel, launcher);
  shadow.append(h('style', { text: CSS }), root);

  // ---------- conversation state ----------

  let session = storage.load();
  let socket = null;
  let socketAttempts = 0;
  let reconnectTimer = 0;
  let started = false;
  const shownIds = new Set();
  /** clientMessageId → { text, el, acked, timer } for customer messages still waiting for their reply */
  const pending = new Map();
  let typingTimer = 0;

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  /** Whether a person has (or will take) the conversation: the bot sends no answer to what the customer writes. */
  let withPeople = false;

  /** The handoff banner follows the latest message that says where the handoff stands. */
  function showHandoff(notice) {
    const text = handoffBanner(notice, t);
    handoffText.textContent = text;
    handoff.hidden = !text;
    withPeople = !!text;
  }

  function showStatus(text) {
    status.textContent = text || '';
    status.hidden = !text;
  }

  /** Appends to the conversation; a long answer is scrolled to its first line, not its last. */
  function addToLog(el) {
    log.insertBefore(el, typing);
    if (el.offsetHeight > log.clientHeight * 0.8) log.scrollTop = el.offsetTop - 12;
    else scrollToEnd();
  }

  function systemLine(text, isError) {
    addToLog(h('div', { class: 'system' + (isError ? ' error' : ''), role: isError ? 'alert' : null, text }));
  }

  function clearQuickReplies() {
    for (const el of log.querySelectorAll('.quick')) el.remove();
  }

  function sourcesList(sources) {
    const items = [];
    for (const source of sources) {
      if (!source || typeof source.title !== 'string') continue;
      const href = safeHref(source.url, origin);
      const label = href
        ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', text: source.title })
        : h('span', { text: source.title });
      if (typeof source.snippet === 'string') label.title = source.snippet;
      items.push(h('li', null, label));
    }
    if (items.length === 0) return null;
    return h('div', { class: 'sources' }, h('span', { text: t.sources }), h('ul', { 'aria-label': t.sources }, ...items));
  }

  /** A button sends its label (what the customer sees) with its payload (what it means to the bot). */
  function quickReplies(replies) {
    const buttons = replies
      .filter((r) => r && typeof r.label === 'string' && r.label.trim() && typeof r.payload === 'string')
      .map((r) => h('button', { type: 'button', text: r.label, onclick: () => { send(r.label, r.payload); input.focus(); } }));
    return buttons.length ? h('div', { class: 'quick' }, ...buttons) : null;
  }

  /** Text with **bold** as <strong>; text nodes only. */
  function inline(text) {
    return textRuns(text).map((r) => (r.strong ? h('strong', { text: r.text }) : r.text));
  }

  /** A bot or agent message's bubble: text with line breaks and **bold**, Markdown pipe tables as tables. */
  function richBubble(text) {
    const bubble = h('div', { class: 'bubble' });
    for (const block of textBlocks(text)) {
      if (!block.table) {
        bubble.append(...inline(block.text));
        continue;
      }
      const { headers, align, rows } = block.table;
      const cell = (tag, content, c) => {
        const el = h(tag, tag === 'th' ? { scope: 'col' } : null, ...inline(content));
        el.style.textAlign = align[c];
        return el;
      };
      const table = h('table', null,
        h('thead', null, h('tr', null, ...headers.map((content, c) => cell('th', content, c)))),
        h('tbody', null, ...rows.map((row) => h('tr', null, ...row.map((content, c) => cell('td', content, c))))));
      bubble.append(h('div', { class: 'table', tabindex: '0' }, table));
    }
    return bubble;
  }

  function customerBubble(text, images) {
    const bubble = h('div', { class: 'bubble' });
    for (const image of images || []) {
      const img = h('img', { src: image.src, alt: image.name || t.image });
      if (!image.src && image.sha256) showKeptImage(img, image.sha256);
      bubble.append(img);
    }
    if (text) bubble.append(document.createTextNode(text));
    return h('div', { class: 'msg in' }, h('span', { class: 'sr-only', text: t.you + ': ' }), bubble);
  }

  /**
   * A picture the customer sent earlier (a restored conversation): fetched with the conversation's token,
   * which an <img> cannot send, and shown as a data URL (the page's own policy may allow no other).
   */
  async function showKeptImage(img, sha256) {
    if (!session) return;
    try {
      const path = `/api/conversations/${encodeURIComponent(session.conversationId)}/images/${encodeURIComponent(sha256)}`;
      const response = await fetch(origin + path, { headers: { Authorization: 'Bearer ' + session.token }, mode: 'cors', credentials: 'omit' });
      if (!response.ok) return;
      img.src = await readAsDataUrl(await response.blob());
    } catch {
      // the picture stays its name: the conversation reads on without it
    }
  }

  /** The local bubble a stored customer message acknowledges (by clientMessageId, else by text). */
  function ownPending(message) {
    if (message.clientMessageId) return pending.get(message.clientMessageId) || null;
    for (const entry of pending.values()) if (!entry.acked && entry.text === message.text) return entry;
    return null;
  }

  function renderMessage(message) {
    if (shownIds.has(message.id)) return;
    shownIds.add(message.id);
    if (message.handoffNotice) showHandoff(message.handoffNotice);
    if (message.author === 'system') {
      // a new place in the queue updates the banner; it need not fill the conversation
      if (!(message.handoffNotice && message.handoffNotice.state === 'queued')) systemLine(message.text);
      return;
    }
    if (message.direction === 'in') {
      const mine = ownPending(message);
      if (mine) {
        mine.acked = true;
        mine.el.classList.remove('pending');
        // with an agent the bot sends no answer: the message is delivered once the server has it
        if (withPeople) for (const [id, entry] of pending) if (entry === mine) settle(id);
      } else {
        addToLog(customerBubble(message.text, message.images));
      }
      clearQuickReplies();
      return;
    }
    const who = message.author !== 'agent' ? t.bot : typeof message.authorName === 'string' && message.authorName ? t.agentNamed.replace('{agent}', message.authorName) : t.agent;
    const el = h('div', { class: 'msg out', 'data-author': message.author, 'data-message-id': message.id },
      h('span', { class: 'author', text: who }),
      richBubble(message.text),
      sourcesList(Array.isArray(message.sources) ? message.sources : []),
      quickReplies(Array.isArray(message.quickReplies) ? message.quickReplies : []));
    clearQuickReplies();
    addToLog(el);
  }

  function settle(clientMessageId) {
    const entry = pending.get(clientMessageId);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(clientMessageId);
    updateTyping();
  }

  /** A bot or agent reply arrived: it answers the oldest acknowledged customer message. */
  function settleOldestAcked() {
    for (const [id, entry] of pending) {
      if (entry.acked) {
        settle(id);
        return;
      }
    }
  }

  function updateTyping() {
    const waiting = pending.size > 0;
    typing.hidden = !waiting;
    clearTimeout(typingTimer);
    if (waiting) {
      typingTimer = setTimeout(() => (typing.hidden = true), REPLY_TIMEOUT_MS);
      scrollToEnd();
    }
  }

  /**
   * An answer still being written: one bubble per draft id whose text each frame replaces (shown as plain
   * text); withdrawn when the server says so, and replaced by the finished answer when it arrives.
   */
  const drafts = new Map();
  function showDraft(draft) {
    let el = drafts.get(draft.id);
    if (draft.retracted || typeof draft.text !== 'string') {
      if (el) el.remove();
      drafts.delete(draft.id);
      return;
    }
    if (!el) {
      el = h('div', { class: 'msg out draft', 'data-author': 'bot', 'data-draft-id': draft.id }, h('span', { class: 'author', text: t.bot }), h('div', { class: 'bubble' }));
      drafts.set(draft.id, el);
      addToLog(el);
    }
    el.querySelector('.bubble').textContent = draft.text;
  }
  function clearDrafts() {
    for (const el of drafts.values()) el.remove();
    drafts.clear();
  }

  function receive(message) {
    if (!message || typeof message.id !== 'number') return;
    if (message.direction === 'out') clearDrafts();
    const isNew = !shownIds.has(message.id);
    renderMessage(message);
    if (isNew && message.direction === 'out') settleOldestAcked();
  }

  /** Why an image was refused, by the server's code and reason (`bot/perceive/intake.ts`), in the customer's language. */
  function imageRefusalText(code, reason) {
    if (code === 'unsupported_image' || reason === 'not_an_image') return t.imageNotSupported;
    if (code === 'image_too_large' || reason === 'too_large') return t.imageTooLarge;
    if (reason === 'too_many_pixels') return t.imageTooManyPixels;
    if (reason === 'too_many_frames') return t.imageTooManyFrames;
    if (reason === 'unreadable') return t.imageUnreadable;
    if (reason === 'empty') return t.imageEmpty;
    if (reason === 'too_many_images' || code === 'bad_images') return t.imageTooMany;
    return '';
  }

  function errorText(error) {
    if (error.status === 0) return t.errorNetwork;
    const image = imageRefusalText(error.code, error.reason);
    if (image) return image;
    if (error.status === 413) return t.errorTooLong;
    if (error.status === 429) return t.errorBusy;
    return t.errorGeneric;
  }

  /** Texts for WebSocket error frames: the server localizes "flooding"; other codes get our own words. */
  function socketErrorText(frame) {
    if (frame.code === 'flooding' && typeof frame.text === 'string' && frame.text) return frame.text;
    if (frame.code === 'message_too_long') return t.errorTooLong;
    return imageRefusalText(frame.code, frame.reason) || t.errorGeneric;
  }

  /** A socket error frame names no message: it refuses the oldest one the server has not acknowledged. */
  function failOldestUnacked(frame) {
    for (const [id, entry] of pending) if (!entry.acked) return markFailed(id, socketErrorText(frame));
    systemLine(socketErrorText(frame), true);
  }

  function markFailed(clientMessageId, reason) {
    const entry = pending.get(clientMessageId);
    if (!entry) return;
    settle(clientMessageId);
    entry.el.classList.remove('pending');
    entry.el.classList.add('failed');
    const retry = h('button', {
      type: 'button',
      text: t.retry,
      onclick: () => {
        failure.remove();
        entry.el.classList.remove('failed');
        dispatch(clientMessageId, entry);
      },
    });
    const failure = h('div', { class: 'failure', role: 'alert' }, h('span', { text: t.notSent + ' ' + reason }), retry);
    entry.el.append(failure);
    scrollToEnd();
  }

  // ---------- server connection ----------

  async function createConversation() {
    const created = await api('POST', '/api/conversations', null, { locale });
    session = { conversationId: created.conversationId, token: created.token };
    storage.save(session);
    return session;
  }

  /** The stored conversation can no longer be opened (expired token, server data reset): start afresh on the next send. */
  function forgetConversation() {
    storage.clear();
    session = null;
    if (socket) {
      const old = socket;
      socket = null;
      old.close();
    }
  }

  let creating = null;
  /** The current conversation, created on first need (concurrent callers share one creation). */
  function ensureConversation() {
    if (session) return Promise.resolve(session);
    creating = creating || createConversation().finally(() => (creating = null));
    return creating;
  }

  async function loadHistory() {
    if (!session) return;
    try {
      const data = await api('GET', `/api/conversations/${encodeURIComponent(session.conversationId)}/messages`, session.token);
      for (const message of data.messages || []) receive(message);
      if (shownIds.size === 0) showWelcome();
    } catch (error) {
      if (error.status === 401 || error.status === 403 || error.status === 404) forgetConversation();
    }
  }

  let welcomeShown = false;
  function showWelcome() {
    if (welcomeShown) return;
    welcomeShown = true;
    addToLog(h('div', { class: 'msg out' }, h('span', { class: 'author', text: t.bot }), h('div', { class: 'bubble', text: t.welcome })));
  }

  function connectSocket() {
    if (!session || (socket && socket.readyState <= WebSocket.OPEN)) return;
    clearTimeout(reconnectTimer);
    showStatus(socketAttempts === 0 ? t.connecting : t.reconnecting);
    const url = origin.replace(/^http/, 'ws') +
      `/api/conversations/${encodeURIComponent(session.conversationId)}/ws?token=${encodeURIComponent(session.token)}`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => {
      socketAttempts = 0;
      showStatus('');
      loadHistory(); // fill in anything missed while disconnected
      for (const [id, entry] of pending) if (!entry.acked && !entry.viaHttp && !entry.images.length) sendOverSocket(id, entry);
    });
    ws.addEventListener('message', (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      if (data.type === 'message') receive(data.message);
      else if (data.type === 'draft' && data.draft && typeof data.draft.id === 'string') showDraft(data.draft);
      else if (data.type === 'notice' && typeof data.text === 'string') systemLine(data.text);
      else if (data.type === 'error' && !AUTH_ERRORS.includes(data.code)) failOldestUnacked(data);
    });
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return;
      socket = null;
      if (event.code === 4401 || event.code === 4403) forgetConversation();
      // Anything the socket did not acknowledge goes over HTTP; the server deduplicates by clientMessageId.
      for (const [id, entry] of pending) if (!entry.acked && !entry.viaHttp) sendOverHttp(id, entry);
      // closed for being idle: reconnect when the customer next writes, not at once
      if (event.code === 4408) {
        showStatus('');
        return;
      }
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    if (!started) return;
    showStatus(t.reconnecting);
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connectSocket, backoffDelay(socketAttempts++));
  }

  const payloadOf = (entry) => (entry.payload ? { payload: entry.payload } : {});
  const imagesOf = (entry) => (entry.images && entry.images.length ? { images: entry.images.map((i) => ({ data: i.data, name: i.name })) } : {});

  function sendOverSocket(clientMessageId, entry) {
    try {
      socket.send(JSON.stringify({ type: 'message', text: entry.text, clientMessageId, ...payloadOf(entry) }));
    } catch {
      sendOverHttp(clientMessageId, entry);
      return;
    }
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      if (pending.get(clientMessageId) === entry && !entry.acked) sendOverHttp(clientMessageId, entry);
    }, ACK_TIMEOUT_MS);
  }

  async function sendOverHttp(clientMessageId, entry, isRetryAfterReset) {
    entry.viaHttp = true;
    clearTimeout(entry.timer);
    try {
      const { conversationId, token } = await ensureConversation();
      const path = `/api/conversations/${encodeURIComponent(conversationId)}/messages`;
      const result = await api('POST', path, token, { text: entry.text, clientMessageId, ...payloadOf(entry), ...imagesOf(entry) });
      receive(result.message);
      for (const message of Array.isArray(result.replies) ? result.replies : result.reply ? [result.reply] : []) receive(message);
      if (result.notice && typeof result.notice.text === 'string') systemLine(result.notice.text);
      settle(clientMessageId);
    } catch (error) {
      if ((error.status === 401 || error.status === 403) && !isRetryAfterReset) {
        forgetConversation();
        await sendOverHttp(clientMessageId, entry, true);
        connectSocket();
        return;
      }
      markFailed(clientMessageId, errorText(error));
    } finally {
      entry.viaHttp = false;
    }
  }

  async function dispatch(clientMessageId, entry) {
    entry.el.classList.add('pending');
    entry.acked = false;
    pending.set(clientMessageId, entry);
    updateTyping();
    try {
      await ensureConversation();
    } catch (error) {
      markFailed(clientMessageId, errorText(error));
      return;
    }
    // images go over HTTP: a socket frame holds text only
    if (socket && socket.readyState === WebSocket.OPEN && !entry.images.length) sendOverSocket(clientMessageId, entry);
    else {
      sendOverHttp(clientMessageId, entry);
      connectSocket();
    }
  }

  /** Sends a message; `payload` is the pressed quick reply's (the text is then its label); `images` those chosen for it. */
  function send(rawText, payload, images) {
    const text = String(rawText).trim();
    if (!text && !(images && images.length)) return;
    if (text.length > MAX_TEXT) {
      systemLine(t.errorTooLong, true);
      return;
    }
    clearQuickReplies();
    const el = customerBubble(text, images);
    addToLog(el);
    dispatch(newClientMessageId(), { text, payload: payload || undefined, images: images || [], el, acked: false, timer: 0, viaHttp: false });
  }

  // ---------- images: the attach button, paste and drag-and-drop ----------

  /** chosen: [{ name, data (base64), src (data: URL) }] for the next message */
  let chosen = [];

  function renderTray() {
    tray.replaceChildren(...chosen.map((image, i) => h('figure', null,
      h('img', { src: image.src, alt: image.name || t.image }),
      h('button', { type: 'button', 'aria-label': t.removeImage, title: t.removeImage, text: '×', onclick: () => { chosen.splice(i, 1); renderTray(); } }))));
    tray.hidden = chosen.length === 0;
  }

  function readAsDataUrl(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  /** Adds files to the tray; what the API would refuse (type, size, how many) is said at once, in the customer's language. */
  async function choose(files) {
    for (const file of files) {
      if (chosen.length >= MAX_IMAGES) return systemLine(t.imageTooMany, true);
      if (!IMAGE_TYPES.includes(file.type)) { systemLine(t.imageNotSupported, true); continue; }
      if (file.size === 0) { systemLine(t.imageEmpty, true); continue; }
      if (file.size > MAX_IMAGE_BYTES) { systemLine(t.imageTooLarge, true); continue; }
      let src;
      try {
        src = await readAsDataUrl(file);
      } catch {
        systemLine(t.imageUnreadable, true);
        continue;
      }
      chosen.push({ name: file.name || undefined, src, data: src.slice(src.indexOf(',') + 1) });
    }
    renderTray();
  }

  attachButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    choose([...fileInput.files]);
    fileInput.value = '';
  });
  input.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData ? event.clipboardData.files : [])];
    if (!files.length) return;
    event.preventDefault();
    choose(files);
  });
  panel.addEventListener('dragover', (event) => {
    if (!event.dataTransfer || ![...event.dataTransfer.types].includes('Files')) return;
    event.preventDefault();
    panel.classList.add('dropping');
  });
  panel.addEventListener('dragleave', (event) => {
    if (!panel.contains(event.relatedTarget)) panel.classList.remove('dropping');
  });
  panel.addEventListener('drop', (event) => {
    panel.classList.remove('dropping');
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    choose([...event.dataTransfer.files]);
  });

  // ---------- open / close ----------

  async function start() {
    if (started) return;
    started = true;
    try {
      await ensureConversation();
    } catch (error) {
      started = false;
      systemLine(errorText(error), true);
      return;
    }
    if (shownIds.size === 0) showWelcome();
    connectSocket();
  }

  function setOpen(open) {
    panel.hidden = !open;
    root.classList.toggle('open', open);
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', open ? t.close : t.open);
    if (open) {
      start();
      scrollToEnd();
      input.focus();
    } else {
      launcher.focus();
    }
  }

  launcher.addEventListener('click', () => setOpen(panel.hidden));
  closeButton.addEventListener('click', () => setOpen(false));
  humanButton.addEventListener('click', () => send(t.humanRequest));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') setOpen(false);
  });

  function autoGrow() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
  }

  input.addEventListener('input', autoGrow);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() && chosen.length === 0) return;
    input.value = '';
    autoGrow();
    const images = chosen;
    chosen = [];
    renderTray();
    send(text, undefined, images);
    input.focus();
  });

  function mount() {
    document.body.append(host);
    if (session) loadHistory();
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();

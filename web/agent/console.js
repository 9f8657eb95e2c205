/*
 * kefu agent console: sign in, the live queue, claim, the transcript with each bot turn's trace, reply,
 * notes, transfer, resolve. Plain JavaScript served by kefu (no build step). Every text that comes from
 * a customer, an agent or the server is set with textContent, never as HTML.
 */
(() => {
  'use strict';
  const API = '/console/api';
  const STRINGS = {
    en: {
      title: 'Agent console', signInTitle: 'Sign in', login: 'Login', password: 'Password', signIn: 'Sign in', signOut: 'Sign out',
      waiting: 'Waiting', left: 'Messages left (nobody came in time)', mine: 'My conversations', takeNext: 'Take the next one', claim: 'Claim', send: 'Send', addNote: 'Add note',
      transfer: 'Transfer', resolve: 'Resolve', replyPlaceholder: 'Reply to the customer…', notePlaceholder: 'Internal note (the customer does not see it)',
      teamPlaceholder: 'Team', online: 'Online', away: 'Away', nobodyWaiting: 'Nobody is waiting.', none: 'None yet.',
      position: 'place', waited: 'waiting', reason: 'reason', trace: 'Why the bot said this', suggestions: 'Suggested replies',
      customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System', summary: 'Summary',
      image: 'Image', imageText: 'Text in the image', imageIssue: 'Issue seen', errorCode: 'error code', noImageText: 'No text found in the image.',
      errors: {
        bad_credentials: 'Wrong login or password.', too_many_attempts: 'Too many failed attempts. Try again in {s} s.', account_disabled: 'This account is disabled.',
        already_claimed: 'Another agent has already taken this conversation.', queue_empty: 'Nobody you can take is waiting, or you are at your capacity.', not_your_team: 'This conversation belongs to another team.', default: 'Something went wrong: {m}',
      },
    },
    zh: {
      title: '坐席工作台', signInTitle: '登录', login: '账号', password: '密码', signIn: '登录', signOut: '退出',
      waiting: '等待中', left: '客户留言（超时未接入）', mine: '我的会话', takeNext: '接入下一位', claim: '接入', send: '发送', addNote: '添加备注',
      transfer: '转接', resolve: '结束会话', replyPlaceholder: '回复客户…', notePlaceholder: '内部备注（客户看不到）',
      teamPlaceholder: '团队', online: '在线', away: '离开', nobodyWaiting: '暂无等待的客户。', none: '暂无。',
      position: '排队', waited: '已等待', reason: '原因', trace: '机器人为什么这样回答', suggestions: '推荐回复',
      customer: '客户', bot: '机器人', agent: '坐席', system: '系统', summary: '摘要',
      image: '图片', imageText: '图片中的文字', imageIssue: '识别出的问题', errorCode: '错误代码', noImageText: '图片中没有识别到文字。',
      errors: {
        bad_credentials: '账号或密码错误。', too_many_attempts: '失败次数过多，请 {s} 秒后再试。', account_disabled: '该账号已停用。',
        already_claimed: '该会话已被其他坐席接入。', queue_empty: '没有您可以接入的等待客户，或您已达到接待上限。', not_your_team: '该会话属于其他团队。', default: '出错了：{m}',
      },
    },
  };
  let lang = localStorage.getItem('kefu:console:lang') || (navigator.language.startsWith('zh') ? 'zh' : 'en');
  let csrf = '';
  let me = null;
  let openId = null;
  const $ = (id) => document.getElementById(id);
  const t = (k) => STRINGS[lang][k] ?? k;
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const minutesSince = (iso) => Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));

  function paintStrings() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
    for (const e of document.querySelectorAll('[data-t-placeholder]')) e.placeholder = t(e.dataset.tPlaceholder);
    $('lang').textContent = lang === 'zh' ? 'English' : '中文';
    if (me) $('presence').textContent = t(me.presence === 'online' ? 'online' : 'away');
  }

  async function call(method, path, body) {
    const res = await fetch(API + path, {
      method,
      credentials: 'same-origin',
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const err = new Error(data?.error?.message || res.statusText);
      err.code = data?.error?.code;
      err.status = res.status;
      err.retryAfter = res.headers.get('retry-after');
      throw err;
    }
    return data;
  }

  function explain(err) {
    const e = STRINGS[lang].errors;
    return (e[err.code] || e.default).replace('{s}', err.retryAfter || '60').replace('{m}', err.message);
  }

  function show(signedIn) {
    $('sign-in').hidden = signedIn;
    $('desk').hidden = !signedIn;
    $('sign-out').hidden = !signedIn;
    $('presence').hidden = !signedIn;
    $('me').textContent = signedIn ? `${me.displayName} · ${me.role}` : '';
    paintStrings();
  }

  function handoffItem(h, claimable) {
    const li = el('li');
    li.dataset.conversation = h.conversationId;
    if (h.conversationId === openId) li.className = 'open';
    li.append(el('div', h.preview || '…'));
    const meta = [`${t('reason')}: ${h.reason}`, `${t('waited')} ${minutesSince(h.requestedAt)} min`, h.locale, h.channel];
    if (h.position) meta.unshift(`${t('position')} ${h.position}`);
    if (h.team) meta.push(h.team);
    li.append(el('div', meta.join(' · '), 'meta'));
    if (claimable) {
      const b = el('button', t('claim'));
      b.className = 'claim';
      b.addEventListener('click', async (ev) => {
        ev.stopPropagation();
        try {
          await call('POST', `/handoffs/${h.handoffId}/claim`);
          openId = h.conversationId;
          await refresh();
        } catch (err) {
          $('desk-error').textContent = explain(err);
          await refreshQueue();
        }
      });
      li.append(b);
    } else {
      li.addEventListener('click', () => openConversation(h.conversationId));
    }
    return li;
  }

  async function refreshQueue() {
    const q = await call('GET', '/queue');
    $('waiting').replaceChildren(...(q.waiting.length ? q.waiting.map((h) => handoffItem(h, true)) : [el('li', t('nobodyWaiting'), 'meta')]));
    $('left').replaceChildren(...(q.left.length ? q.left.map((h) => handoffItem(h, true)) : [el('li', t('none'), 'meta')]));
    $('mine').replaceChildren(...(q.mine.length ? q.mine.map((h) => handoffItem(h, false)) : [el('li', t('none'), 'meta')]));
  }

  function traceDetails(trace) {
    const d = el('details', undefined, 'trace');
    d.append(el('summary', t('trace')));
    const list = el('ul');
    for (const step of trace) list.append(el('li', `${step.stage}: ${step.decision}${step.detail ? ' ' + JSON.stringify(step.detail) : ''}`));
    d.append(list);
    return d;
  }

  /** A customer's image as the agent sees it: the picture, the issue kefu saw in it and the text it read. */
  function imageFigure(conversationId, image) {
    const figure = el('figure', undefined, 'image');
    const img = el('img');
    img.src = `${API}/conversations/${encodeURIComponent(conversationId)}/images/${encodeURIComponent(image.sha256)}`;
    img.alt = image.name || t('image');
    figure.append(img);
    const caption = el('figcaption');
    if (image.issue) {
      const label = (image.label && image.label[lang]) || image.issue;
      const code = image.errorCode ? ` · ${t('errorCode')} ${image.errorCode}` : '';
      const sure = typeof image.confidence === 'number' ? ` (${Math.round(image.confidence * 100)}%)` : '';
      caption.append(el('div', `${t('imageIssue')}: ${label}${code}${sure}`, 'issue'));
    }
    caption.append(image.text ? el('div', `${t('imageText')}: ${image.text}`, 'ocr') : el('div', t('noImageText'), 'meta'));
    figure.append(caption);
    return figure;
  }

  async function openConversation(id) {
    openId = id;
    const c = await call('GET', `/conversations/${encodeURIComponent(id)}`);
    $('conversation').hidden = false;
    $('conversation-head').replaceChildren(el('strong', `${c.conversation.channel} · ${c.conversation.locale} · ${c.conversation.id.slice(0, 8)}`), el('span', ` ${c.handoff ? c.handoff.reason : ''}`, 'meta'));
    $('summary').textContent = c.summary ? `${t('summary')}: ${c.summary}` : '';
    $('transcript').replaceChildren(
      ...c.messages.map((m) => {
        const li = el('li', undefined, m.author);
        li.append(el('div', `${m.authorName || t(m.author)} · ${new Date(m.createdAt).toLocaleTimeString()}`, 'meta'));
        if (m.text) li.append(el('div', m.text));
        for (const image of m.images || []) li.append(imageFigure(c.conversation.id, image));
        for (const s of m.sources || []) li.append(el('div', `↳ ${s.title || s.url || ''}`, 'meta'));
        if (m.trace) li.append(traceDetails(m.trace));
        return li;
      }),
    );
    $('transcript').scrollTop = $('transcript').scrollHeight;
    $('suggestions').replaceChildren(
      ...(c.suggestions?.length ? [el('div', t('suggestions'), 'meta')] : []),
      ...(c.suggestions || []).map((s) => {
        const b = el('button', s.title || s.text.slice(0, 40));
        b.type = 'button';
        b.addEventListener('click', () => ($('reply').elements.text.value = s.text));
        return b;
      }),
    );
    $('notes').replaceChildren(...(c.notes || []).map((n) => el('li', `${n.author}: ${n.text}`)));
    const held = c.handoff && c.handoff.status === 'claimed' && c.handoff.agentLogin === me.login;
    for (const f of ['reply', 'transfer']) for (const x of $(f).elements) x.disabled = !held;
    $('resolve').disabled = !held;
    $('resolve').onclick = async () => {
      await call('POST', `/handoffs/${c.handoff.id}/resolve`);
      openId = null;
      $('conversation').hidden = true;
      await refreshQueue();
    };
    $('transfer').onsubmit = async (ev) => {
      ev.preventDefault();
      await call('POST', `/handoffs/${c.handoff.id}/transfer`, { team: ev.target.elements.team.value.trim() });
      openId = null;
      $('conversation').hidden = true;
      await refreshQueue();
    };
    await refreshQueue();
  }

  async function refresh() {
    $('desk-error').textContent = '';
    await refreshQueue();
    if (openId) await openConversation(openId);
  }

  // The queue and the open conversation are read again whenever the live feed (server-sent events from any
  // kefu process) says the queue changed or a customer with people wrote; and every two seconds while the
  // feed is down, every ten while it is up (what the feed cannot say: a bot's turn in an open transcript).
  let polling = null;
  let feed = null;
  let feedUp = false;
  function poll(ms) {
    clearInterval(polling);
    polling = setInterval(() => me && refresh().catch(() => undefined), ms);
  }
  function live() {
    feed?.close();
    poll(2000);
    if (!window.EventSource) return;
    feed = new EventSource(`${API}/queue/events`, { withCredentials: true });
    feed.addEventListener('open', () => {
      feedUp = true;
      poll(10000);
    });
    feed.addEventListener('queue', () => me && refresh().catch(() => undefined));
    feed.addEventListener('error', () => {
      if (feedUp) poll(2000);
      feedUp = false;
    });
  }
  function stopLive() {
    clearInterval(polling);
    feed?.close();
    feed = null;
    feedUp = false;
  }

  async function start() {
    const session = await call('GET', '/session');
    me = session.user;
    csrf = session.csrfToken;
    show(true);
    await refresh();
    live();
  }

  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('kefu:console:lang', lang);
    paintStrings();
    if (me) refresh().catch(() => undefined);
  });
  $('sign-in').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    try {
      const s = await call('POST', '/session', { login: f.login.value.trim(), password: f.password.value });
      csrf = s.csrfToken;
      f.password.value = '';
      await start();
    } catch (err) {
      $('sign-in-error').textContent = explain(err);
    }
  });
  $('sign-out').addEventListener('click', async () => {
    await call('DELETE', '/session').catch(() => undefined);
    me = null;
    csrf = '';
    stopLive();
    show(false);
  });
  $('take-next').addEventListener('click', async () => {
    try {
      const { handoff } = await call('POST', '/handoffs/next');
      openId = handoff.conversationId;
      await refresh();
    } catch (err) {
      $('desk-error').textContent = explain(err);
    }
  });
  $('presence').addEventListener('click', async () => {
    me.presence = me.presence === 'online' ? 'away' : 'online';
    await call('PUT', '/presence', { presence: me.presence });
    paintStrings();
  });
  $('reply').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = ev.target.elements.text.value.trim();
    if (!text || !openId) return;
    await call('POST', `/conversations/${encodeURIComponent(openId)}/messages`, { text });
    ev.target.elements.text.value = '';
    await openConversation(openId);
  });
  $('note').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = ev.target.elements.text.value.trim();
    if (!text || !openId) return;
    await call('POST', `/conversations/${encodeURIComponent(openId)}/notes`, { text });
    ev.target.elements.text.value = '';
    await openConversation(openId);
  });

  paintStrings();
  start().catch(() => show(false));
})();

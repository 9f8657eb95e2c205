import { CSRF_HEADER } from '../../bot/staff/routes.ts';

/** An agent signed in to the console of the kefu at `url`: a fetch of /console/api paths with the session cookie and CSRF token. */
export async function consoleAgent(url: string, login: string, password = 'a long password') {
  const res = await fetch(`${url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (res.status !== 200) throw new Error(`signing in ${login} → ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const headers = { cookie: res.headers.get('set-cookie')!.split(';')[0]!, [CSRF_HEADER]: csrfToken };
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${url}/console/api${path}`, body === undefined ? { method, headers } : { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return Object.assign(call, { headers });
}

'use strict';
// The back end: every route is a function (req, res, url), so each moves into Express or another router as it is
// (README.md says where each goes). The routes of your product (the page, how the loginId comes back) are in
// product.js; the ones every product shares are here.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Flinks, FlinksError, NeedsMFA, PollCapError } = require('./flinks');
const { LoginStore, masked } = require('./store');
const {
  customer, setCookie, https, baseURL, sameOrigin, sameSecret, cookieValue, validLoginId, validSignature, readBody, readJSON,
  sendJSON, sendText, sendPage, redirect, BadRequest,
} = require('./web');
const product = require('./product');

const accountsPage = fs.readFileSync(path.join(__dirname, 'accounts.html'));

const REDIRECT_COOKIE = 'flinks_redirect';
const REDIRECT_LIFETIME_MS = 30 * 60 * 1000; // as long as a Connect or Express session may reasonably take
const REDIRECTS_KEPT = 10000; // the oldest nonces go first beyond this many customers waiting

// maskedNumber shows the last 4 characters of an account number only, as flinks-onboard shows one; a number that
// short is hidden entirely.
function maskedNumber(number) {
  return number.length > 4 ? `••••${number.slice(-4)}` : '••••';
}

// createApp returns {handle, flinks, logins}: handle is the (req, res) listener of http.createServer. deps may
// replace the Flinks client's fetch, now and sleep (the tests), and onWebhook is called with the ResponseType of
// each webhook whose signature is valid.
function createApp(config, deps = {}) {
  const flinks = new Flinks(config, deps);
  const logins = new LoginStore(config.loginFile);
  const log = deps.log || ((line) => console.error(line));
  // The security questions a customer is being asked: customer → the NeedsMFA of their flow. Memory only: it holds
  // the flow's authorize token.
  const pendingMFA = new Map();
  // The redirect nonce each customer was given (customer → {nonce, at}), oldest first: see redirectURL.
  const redirectNonces = new Map();

  const app = { config, flinks, logins, log, pendingMFA, onWebhook: deps.onWebhook };

  // keep stores the loginId Flinks sent back for the browser's customer; false when it answered an error.
  // Keeping a loginId (a link, or a link again) drops the questions still waiting for the customer and the RequestId
  // cached for the login they had and the one they have now: those belonged to an /Authorize of the former link.
  app.keep = (req, res, loginId) => {
    if (!validLoginId(loginId)) {
      sendText(res, 400, 'no valid loginId');
      return false;
    }
    const who = customer(req, res);
    try {
      const before = logins.get(who);
      logins.put(who, loginId);
      if (before) flinks.forget(before);
    } catch (err) {
      fail(res, err);
      return false;
    }
    flinks.forget(loginId);
    pendingMFA.delete(who);
    log(`linked loginId ${masked(loginId)}`);
    return true;
  };

  // redirectURL returns the redirectUrl to give Flinks (Connect's page, Express): this server's
  // /flinks/redirect/<nonce>, with a fresh random nonce (256 bits, URL-safe) kept in an HttpOnly, SameSite=Lax cookie
  // and here, for this customer. Only the browser that was sent to Flinks comes back with both: another site cannot
  // send the customer to the redirect URL with a loginId of its own (login CSRF; Custom OAuth's state does the same).
  // A path segment, not a query parameter: Flinks appends its own query (?loginId=…) to the redirectUrl.
  app.redirectURL = (req, res) => {
    const who = customer(req, res);
    const nonce = crypto.randomBytes(32).toString('base64url');
    setCookie(res, `${REDIRECT_COOKIE}=${nonce}; Path=/flinks/redirect; Max-Age=${REDIRECT_LIFETIME_MS / 1000}; HttpOnly; SameSite=Lax${https(req) ? '; Secure' : ''}`);
    redirectNonces.delete(who); // re-inserted last: the Map stays oldest first
    redirectNonces.set(who, { nonce, at: Date.now() });
    for (const [key, kept] of redirectNonces) {
      if (redirectNonces.size <= REDIRECTS_KEPT && Date.now() - kept.at < REDIRECT_LIFETIME_MS) break;
      redirectNonces.delete(key);
    }
    return `${baseURL(req)}/flinks/redirect/${nonce}`;
  };

  // redirected serves GET /flinks/redirect/<nonce>?loginId=…&institution=… (and accountId with the account
  // selector): the nonce must be the one of this browser's cookie and the one this server gave its customer, compared
  // in constant time; otherwise 403 and nothing is kept (nor used up: the real redirect may still come). A nonce
  // serves once. Then the loginId is kept and the customer sent on to their accounts, the loginId out of the address
  // bar.
  app.redirected = (req, res, url) => {
    const nonce = url.pathname.slice('/flinks/redirect/'.length);
    const cookie = cookieValue(req, REDIRECT_COOKIE);
    const who = customer(req, res);
    const kept = redirectNonces.get(who);
    const fresh = kept && Date.now() - kept.at < REDIRECT_LIFETIME_MS;
    // Both compares run whatever the first says, so that the time taken tells nothing.
    const matches = [sameSecret(nonce, cookie), sameSecret(nonce, kept ? kept.nonce : '')];
    if (!nonce || !cookie || !fresh || !matches.every(Boolean)) {
      log('redirect refused: its nonce is not the one this browser was given');
      return sendText(res, 403, 'this link was not started from this browser: start again from the first page');
    }
    redirectNonces.delete(who); // used once, whatever the loginId
    setCookie(res, `${REDIRECT_COOKIE}=; Path=/flinks/redirect; Max-Age=0; HttpOnly; SameSite=Lax${https(req) ? '; Secure' : ''}`);
    if (app.keep(req, res, url.searchParams.get('loginId'))) redirect(res, '/accounts');
  };

  // accounts returns the customer's accounts as JSON: the Accounts of GetAccountsDetail and the institution,
  // without the Login (it holds the loginId, which never goes to the browser).
  async function accounts(req, res) {
    const who = customer(req, res);
    const loginId = logins.get(who);
    if (!loginId) return sendJSON(res, 404, { error: 'no linked account: link one first' });
    const pending = pendingMFA.get(who);
    if (pending) return sendJSON(res, 409, { error: 'security questions', prompts: pending.prompts });
    let requestId = await flinks.authorize(loginId);
    let detail;
    try {
      detail = await flinks.accountsDetail(requestId);
    } catch (err) {
      if (!(err instanceof FlinksError) || !['SESSION_EXPIRED', 'SESSION_NONEXISTENT'].includes(err.flinksCode)) throw err;
      flinks.forget(loginId); // the kept RequestId expired: one new /Authorize
      requestId = await flinks.authorize(loginId);
      detail = await flinks.accountsDetail(requestId);
    }
    const list = (detail && Array.isArray(detail.Accounts) && detail.Accounts) || [];
    const masked = list.map((a) => (a && typeof a.AccountNumber === 'string' ? { ...a, AccountNumber: maskedNumber(a.AccountNumber) } : a));
    sendJSON(res, 200, { institution: (detail && detail.Institution) || '', accounts: masked });
  }

  // mfa passes the customer's answers ({"answers": {"<prompt>": ["<answer>"]}}) to /Authorize as
  // SecurityResponses with the RequestId Flinks gave, then answers as GET /api/accounts.
  async function mfa(req, res) {
    const who = customer(req, res);
    const none = { error: 'no security question is waiting for an answer', prompts: [] };
    if (!pendingMFA.has(who)) return sendJSON(res, 409, none); // before the body is read
    const input = await readJSON(req, 64 * 1024);
    const answers = input && input.answers;
    if (!answers || typeof answers !== 'object' || Array.isArray(answers)) {
      return sendJSON(res, 400, { error: 'expected {"answers": {"<prompt>": ["<answer>"]}}' });
    }
    // From here to pendingMFA.delete nothing awaits: the questions are taken and removed in one step, so that two
    // answers sent at once cannot both reach Flinks (the second finds nothing waiting).
    const pending = pendingMFA.get(who);
    if (!pending) return sendJSON(res, 409, none);
    const asked = new Set(pending.prompts.map((p) => p.prompt));
    const responses = new Map();
    for (const [prompt, values] of Object.entries(answers)) {
      if (!asked.has(prompt)) return sendJSON(res, 400, { error: 'an answer matches no question asked' });
      const given = (Array.isArray(values) ? values : [values]).filter((v) => v !== null && v !== undefined).map(String);
      if (given.some((v) => v.trim() !== '')) responses.set(prompt, given);
    }
    if (responses.size !== asked.size) return sendJSON(res, 400, { error: 'answer every question' }); // kept, nothing sent
    pendingMFA.delete(who); // a wrong answer ends the RequestId; the questions come back only if Flinks asks them
    await flinks.answerMFA(pending.pending, Object.fromEntries(responses));
    log('security questions answered');
    await accounts(req, res);
  }

  // deleteCard asks Flinks to delete the customer's data (DeleteCard), then forgets the loginId.
  async function deleteCard(req, res) {
    const who = customer(req, res);
    const loginId = logins.get(who);
    if (!loginId) return sendJSON(res, 404, { error: 'no linked account' });
    await flinks.deleteCard(loginId);
    logins.delete(who);
    pendingMFA.delete(who);
    log(`deleted loginId ${masked(loginId)} at Flinks (DeleteCard)`);
    sendJSON(res, 200, { deleted: 'ok' });
  }

  // webhook verifies flinks-authenticity-key (HMAC-SHA256 of the raw body, Base64) before reading anything, with a
  // constant-time compare: 401 on a bad signature, 200 once verified (Flinks retries anything else).
  async function webhook(req, res) {
    const body = await readBody(req, 32 * 1024 * 1024);
    const signature = req.headers['flinks-authenticity-key'] || req.headers['x-flinks-signature'] || ''; // the latter: Flinks' HMAC guide
    if (!validSignature(body, signature, config.webhookSecret)) {
      log('webhook refused: bad signature');
      return sendText(res, 401, 'bad signature');
    }
    let kind = '';
    try {
      kind = String(JSON.parse(body.toString('utf8')).ResponseType || '');
    } catch {
      // Signed but not JSON: still Flinks' delivery; nothing to read.
    }
    log(`webhook ${JSON.stringify(kind)} received (${body.length} bytes)`);
    // Hand the body to a queue or a job here, and answer at once.
    sendText(res, 200, 'ok');
    if (app.onWebhook) app.onWebhook(kind, body);
  }

  // The POSTs a page of this server sends, refused when another origin's page sends them (see sameOrigin);
  // /flinks/webhook is Flinks' own, from no page.
  const pagePOSTs = new Set(['/flinks/connected', '/flinks/oauth/start', '/api/mfa', '/api/delete']);

  const routes = {
    'GET /accounts': (req, res) => {
      customer(req, res);
      sendPage(res, accountsPage);
    },
    'GET /api/accounts': accounts,
    'POST /api/mfa': mfa,
    'POST /api/delete': deleteCard,
    'POST /flinks/webhook': webhook,
    ...product.routes(app),
  };

  // A route ending in /* takes any one path segment after it (GET /flinks/redirect/<nonce>), an empty one too.
  const match = (key, method, pathname) => {
    const [m, p] = key.split(' ');
    if (method !== undefined && m !== method) return false;
    return p.endsWith('/*') ? pathname.startsWith(p.slice(0, -1)) && !pathname.slice(p.length - 1).includes('/') : p === pathname;
  };

  app.handle = async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const key = Object.keys(routes).find((k) => match(k, req.method, url.pathname));
    try {
      if (key) {
        if (req.method === 'POST' && pagePOSTs.has(url.pathname) && !sameOrigin(req)) {
          log(`${url.pathname} refused: sent by a page of another origin`);
          return sendText(res, 403, 'this request did not come from this site\'s own page');
        }
        return await routes[key](req, res, url);
      }
      const known = Object.keys(routes).some((k) => match(k, undefined, url.pathname));
      sendText(res, known ? 405 : 404, known ? 'method not allowed' : 'not found');
    } catch (err) {
      fail(res, err);
    }
  };

  // fail answers an error as JSON with Flinks' code when there is one, and logs it (no error holds a loginId).
  function fail(res, err) {
    if (res.headersSent) {
      log(`error after the answer started: ${err.message}`);
      return res.end();
    }
    if (err instanceof NeedsMFA) {
      const who = res.customer;
      if (who) pendingMFA.set(who, err);
      log(err.message);
      return sendJSON(res, 409, { error: 'security questions', prompts: err.prompts });
    }
    log(`error: ${err.message}`);
    if (err instanceof FlinksError) {
      return sendJSON(res, 502, { error: err.flinksMessage, flinksCode: err.flinksCode, endpoint: err.endpoint });
    }
    if (err instanceof PollCapError) return sendJSON(res, 504, { error: err.message });
    if (err instanceof BadRequest) return sendJSON(res, err.status, { error: err.message });
    sendJSON(res, 500, { error: 'internal error' });
  }
  app.fail = fail;
  return app;
}

module.exports = { createApp };

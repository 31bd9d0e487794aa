'use strict';
// A small client of the Flinks API: each method is one documented request (flinks-onboard's
// docs/flinks-contract.md lists them with their sources). It uses Node's own fetch (Node 18 or later).

const { POLL_CAP_MS } = require('./config');

// A RequestId is reused for a few minutes, so that each page view does not start a new session; Flinks keeps a
// session for about 30 minutes, we stay well under.
const REQUEST_ID_LIFETIME_MS = 10 * 60 * 1000;
const CALL_TIMEOUT_MS = 2 * 60 * 1000;

// FlinksError is an answer of Flinks that is not a success, with Flinks' own code: branch on flinksCode
// (INVALID_LOGIN, SESSION_EXPIRED, UNAUTHORIZED, DISABLED_LOGIN…), never on the message.
class FlinksError extends Error {
  constructor(endpoint, httpStatus, flinksCode, message) {
    super(`${endpoint}: HTTP ${httpStatus} ${flinksCode || ''}: ${message || ''}`);
    this.name = 'FlinksError';
    this.endpoint = endpoint;
    this.httpStatus = httpStatus;
    this.flinksCode = flinksCode || '';
    this.flinksMessage = message || '';
  }
}

// PollCapError: the data was still not ready after 30 minutes of polling.
class PollCapError extends Error {
  constructor() {
    super('GetAccountsDetailAsync: still pending after 30 minutes');
    this.name = 'PollCapError';
  }
}

// NeedsMFA: /Authorize asks security questions (HTTP 203). Show prompts to the customer and pass their answers to
// answerMFA with pending, which stays on the server: it holds the flow's token, which a browser must never see.
class NeedsMFA extends Error {
  constructor(pending, prompts) {
    super(`/Authorize asks ${prompts.length} security question(s)`);
    this.name = 'NeedsMFA';
    this.prompts = prompts; // [{type, prompt, iterables?}]
    Object.defineProperty(this, 'pending', { value: pending, enumerable: false });
  }
}

function defaultSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class Flinks {
  // deps replace fetch, the clock (now: milliseconds) and sleep in the tests: to see the requests and their times,
  // and to reach the 30-minute cap without waiting for it.
  constructor(config, deps = {}) {
    this.config = config;
    this.fetch = deps.fetch || globalThis.fetch;
    this.now = deps.now || Date.now;
    this.sleep = deps.sleep || defaultSleep;
    this.cached = new Map(); // loginId → {requestId, at}: the RequestId of its last /Authorize
  }

  url(endpoint, ...segments) {
    let u = `${this.config.apiURL}/v3/${encodeURIComponent(this.config.customerId)}/BankingServices/${endpoint}`;
    for (const s of segments) u += `/${encodeURIComponent(s)}`;
    return u;
  }

  // call sends one request and returns {status, body} for 200, 202 and 203; any 4xx or 5xx is a FlinksError.
  async call(method, endpoint, target, headers, body) {
    const init = { method, headers: { Accept: 'application/json', ...headers }, redirect: 'error',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS) };
    if (method === 'POST') {
      init.headers['Content-Type'] = 'application/json'; // required even on GenerateAuthorizeToken, which has no body
      if (body !== undefined) init.body = JSON.stringify(body);
    }
    let resp;
    let text;
    try {
      resp = await this.fetch(target, init);
      text = await resp.text();
    } catch (err) {
      // Name the endpoint only: the URL may hold a loginId (DeleteCard).
      const why = (err.cause && (err.cause.code || err.cause.message)) || err.name || 'failed';
      throw new Error(`${endpoint}: ${why}`);
    }
    let parsed = null;
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (resp.status < 400) throw new Error(`${endpoint}: HTTP ${resp.status}, the answer is not the documented JSON`);
      }
    }
    if (resp.status >= 400) {
      const e = parsed && typeof parsed === 'object' ? parsed : {};
      throw new FlinksError(endpoint, resp.status, e.FlinksCode, e.Message);
    }
    return { status: resp.status, body: parsed };
  }

  // authorizeToken asks for a single-use token with the secret key (GenerateAuthorizeToken). Give one to each
  // Connect page and one to each /Authorize flow: a token is never reused (but for the MFA answers of its own flow).
  async authorizeToken() {
    const { body } = await this.call('POST', 'GenerateAuthorizeToken', this.url('GenerateAuthorizeToken'),
      { 'flinks-auth-key': this.config.secretKey });
    if (!body || !body.Token) {
      throw new Error('GenerateAuthorizeToken: Flinks answered without a token; check the secret key and the instance');
    }
    return body.Token;
  }

  // authorize runs /Authorize for loginId and returns its RequestId. Cached (MostRecentCached: true, the way to read
  // data after Connect) reuses a recent RequestId; live (MostRecentCached: false, Save: true: the bank is asked
  // again, after Custom OAuth) may throw NeedsMFA, and carries the language of the bank's questions and the Tag
  // given to the data when they are chosen.
  async authorize(loginId, { live = false, language = '', tag = '' } = {}) {
    const c = this.cached.get(loginId);
    if (!live && c && this.now() - c.at < REQUEST_ID_LIFETIME_MS) return c.requestId;
    const token = await this.authorizeToken();
    const body = live ? { LoginId: loginId, MostRecentCached: false, Save: true } : { LoginId: loginId, MostRecentCached: true };
    if (live && language) body.Language = language;
    if (live && tag) body.Tag = tag;
    return this.finishAuthorize(await this.postAuthorize(token, body), { token, loginId, live });
  }

  // answerMFA sends the customer's answers ({prompt: [answer]}) for pending (from NeedsMFA), with the same token and
  // RequestId, and returns the RequestId once authorized; it throws NeedsMFA again when the bank asks more.
  async answerMFA(pending, answers) {
    const out = await this.postAuthorize(pending.token, { RequestId: pending.requestId, SecurityResponses: answers });
    return this.finishAuthorize(out, pending);
  }

  async postAuthorize(token, body) {
    return this.call('POST', 'Authorize', this.url('Authorize'), { 'flinks-auth-key': token }, body);
  }

  finishAuthorize({ status, body }, flow) {
    const answer = body || {};
    if (status === 203) {
      // Without a RequestId the answers could not be sent: no question is shown that could never be answered.
      if (!answer.RequestId) throw new FlinksError('Authorize', status, '', 'security questions without a RequestId');
      const prompts = (answer.SecurityChallenges || []).map((q) => {
        const p = { type: q.Type || '', prompt: q.Prompt || '' };
        if (Array.isArray(q.Iterables) && q.Iterables.length > 0) p.iterables = q.Iterables;
        return p;
      });
      throw new NeedsMFA({ ...flow, requestId: answer.RequestId }, prompts);
    }
    if (!answer.RequestId) throw new Error(`Authorize: HTTP ${status} without a RequestId`);
    this.cached.set(flow.loginId, { requestId: answer.RequestId, at: this.now() });
    return answer.RequestId;
  }

  // forget drops the kept RequestId of loginId (after SESSION_EXPIRED, or DeleteCard).
  forget(loginId) {
    this.cached.delete(loginId);
  }

  // accountsDetail asks GetAccountsDetail for requestId and, while Flinks answers 202, waits the poll interval and
  // asks GetAccountsDetailAsync, for 30 minutes at most. Async is called only after GetAccountsDetail answered 202.
  async accountsDetail(requestId) {
    const key = { 'x-api-key': this.config.apiKey };
    let answer = await this.call('POST', 'GetAccountsDetail', this.url('GetAccountsDetail'), key,
      { RequestId: requestId, WithAccountIdentity: true, WithTransactions: true, DaysOfTransactions: 'Days90' });
    const deadline = this.now() + POLL_CAP_MS;
    while (answer.status === 202) {
      if (this.now() >= deadline) throw new PollCapError();
      await this.sleep(this.config.pollIntervalMs);
      answer = await this.call('GET', 'GetAccountsDetailAsync', this.url('GetAccountsDetailAsync', requestId), key);
    }
    return answer.body;
  }

  // deleteCard deletes every piece of data Flinks holds behind loginId. CARD_IN_USE: try again later.
  async deleteCard(loginId) {
    await this.call('DELETE', 'DeleteCard', this.url('DeleteCard', loginId), { 'x-api-key': this.config.apiKey });
    this.forget(loginId);
  }
}

module.exports = { Flinks, FlinksError, NeedsMFA, PollCapError, REQUEST_ID_LIFETIME_MS };

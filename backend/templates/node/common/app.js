'use strict';
// The back end: every route is a function (req, res, url), so each moves into Express or another router as it is
// (README.md says where each goes). The routes of your product (the page, how the loginId comes back) are in
// product.js; the ones every product shares are here.

const fs = require('node:fs');
const path = require('node:path');
const { Flinks, FlinksError, NeedsMFA, PollCapError } = require('./flinks');
const { LoginStore, masked } = require('./store');
const { customer, validLoginId, validSignature, readBody, readJSON, sendJSON, sendText, sendPage, BadRequest } = require('./web');
const product = require('./product');

const accountsPage = fs.readFileSync(path.join(__dirname, 'accounts.html'));

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

  const app = { config, flinks, logins, log, pendingMFA, onWebhook: deps.onWebhook };

  // keep stores the loginId Flinks sent back for the browser's customer; false when it answered an error.
  app.keep = (req, res, loginId) => {
    if (!validLoginId(loginId)) {
      sendText(res, 400, 'no valid loginId');
      return false;
    }
    try {
      logins.put(customer(req, res), loginId);
    } catch (err) {
      fail(res, err);
      return false;
    }
    log(`linked loginId ${masked(loginId)}`);
    return true;
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
    sendJSON(res, 200, { institution: (detail && detail.Institution) || '', accounts: (detail && detail.Accounts) || [] });
  }

  // mfa passes the customer's answers ({"answers": {"<prompt>": ["<answer>"]}}) to /Authorize as
  // SecurityResponses with the RequestId Flinks gave, then answers as GET /api/accounts.
  async function mfa(req, res) {
    const who = customer(req, res);
    const pending = pendingMFA.get(who);
    if (!pending) return sendJSON(res, 409, { error: 'no security question is waiting for an answer', prompts: [] });
    const input = await readJSON(req, 64 * 1024);
    const answers = input && input.answers;
    if (!answers || typeof answers !== 'object' || Array.isArray(answers)) {
      return sendJSON(res, 400, { error: 'expected {"answers": {"<prompt>": ["<answer>"]}}' });
    }
    const responses = {};
    for (const [prompt, values] of Object.entries(answers)) {
      responses[prompt] = (Array.isArray(values) ? values : [values]).map(String);
    }
    pendingMFA.delete(who); // a wrong answer ends the RequestId; the questions come back only if Flinks asks them
    await flinks.answerMFA(pending.pending, responses);
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

  app.handle = async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const route = routes[`${req.method} ${url.pathname}`];
    try {
      if (route) return await route(req, res, url);
      const known = Object.keys(routes).some((r) => r.endsWith(` ${url.pathname}`));
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

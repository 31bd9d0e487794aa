'use strict';
// The configuration is read from the process environment only: no secret is ever written into a file of this
// project. flinks-onboard backend printed the values for the environment you chose.

const net = require('node:net');
const settings = require('./settings');

// Flinks' polling rules: wait 10 s after each 202, give up after 30 minutes.
const DEFAULT_POLL_INTERVAL_MS = 10 * 1000;
const POLL_CAP_MS = 30 * 60 * 1000;

// The variables each product needs; FLINKS_LOGIN_FILE, FLINKS_POLL_INTERVAL and PORT have defaults.
const REQUIRED = {
  connect: ['FLINKS_API_URL', 'FLINKS_IFRAME_URL', 'FLINKS_CUSTOMER_ID', 'FLINKS_SECRET_KEY', 'FLINKS_API_KEY', 'FLINKS_WEBHOOK_SECRET'],
  express: ['FLINKS_API_URL', 'FLINKS_EXPRESS_URL', 'FLINKS_CUSTOMER_ID', 'FLINKS_SECRET_KEY', 'FLINKS_API_KEY', 'FLINKS_WEBHOOK_SECRET'],
  custom: ['FLINKS_API_URL', 'FLINKS_CUSTOMER_ID', 'FLINKS_SECRET_KEY', 'FLINKS_API_KEY', 'FLINKS_WEBHOOK_SECRET'],
};

// loadConfig reads and checks the configuration from env (process.env outside the tests); opts are the generated
// settings (settings.js), which the tests replace to check a production project's refusals. It throws an Error
// whose message says what to change.
function loadConfig(env, opts = settings) {
  const product = opts.product;
  const required = REQUIRED[product];
  if (!required) throw new Error(`settings.js: unknown product ${JSON.stringify(product)}`);
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`set ${missing.sort().join(', ')} in the environment (flinks-onboard backend printed the values)`);
  }
  const config = {
    product,
    connectQuery: opts.connectQuery || '',
    apiURL: env.FLINKS_API_URL.replace(/\/+$/, ''), // e.g. https://toolbox-api.private.fin.ag
    iframeURL: env.FLINKS_IFRAME_URL || '', // e.g. https://toolbox-iframe.private.fin.ag/v2/ (connect)
    expressURL: env.FLINKS_EXPRESS_URL || '', // the link your Flinks representative sent (express)
    customerId: env.FLINKS_CUSTOMER_ID,
    secretKey: env.FLINKS_SECRET_KEY, // only for GenerateAuthorizeToken
    apiKey: env.FLINKS_API_KEY, // the x-api-key of the data endpoints
    webhookSecret: env.FLINKS_WEBHOOK_SECRET, // verifies flinks-authenticity-key
    loginFile: env.FLINKS_LOGIN_FILE || 'logins.json', // where the loginIds are kept (store.js)
    port: env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT),
    // How long to wait after each 202 before asking GetAccountsDetailAsync again. FLINKS_POLL_INTERVAL may shorten
    // it only against a simulator on this computer (flinks-onboard simulate), never against Flinks.
    pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
  };
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new Error(`PORT ${JSON.stringify(env.PORT)} is not a port number (0 picks a free one)`);
  }
  const urls = { FLINKS_API_URL: config.apiURL, FLINKS_IFRAME_URL: config.iframeURL, FLINKS_EXPRESS_URL: config.expressURL };
  for (const [name, value] of Object.entries(urls)) {
    if (value === '') continue;
    let u;
    try {
      u = new URL(value);
    } catch {
      throw new Error(`${name} ${JSON.stringify(value)} is not a URL`);
    }
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(value))) {
      throw new Error(`${name} must be an https URL (plain http only for flinks-onboard simulate on this computer)`);
    }
  }
  if (env.FLINKS_POLL_INTERVAL) {
    const ms = parseDuration(env.FLINKS_POLL_INTERVAL);
    if (!(ms > 0)) {
      throw new Error(`FLINKS_POLL_INTERVAL ${JSON.stringify(env.FLINKS_POLL_INTERVAL)} is not a positive duration such as 10s`);
    }
    if (ms < DEFAULT_POLL_INTERVAL_MS && !isLoopback(config.apiURL)) {
      throw new Error('FLINKS_POLL_INTERVAL below 10s is only for flinks-onboard simulate on this computer; Flinks asks for 10 s');
    }
    config.pollIntervalMs = ms;
  }
  if (opts.environmentKind === 'production') {
    if (new URLSearchParams(config.connectQuery).get('demo') === 'true') {
      throw new Error('this project was generated for production but its Connect parameters have demo=true; generate it again');
    }
    // The Express link itself may carry demo=true (the test bank): a link for a test, whatever settings.js says.
    if (product === 'express' && new URL(config.expressURL).searchParams.getAll('demo').some((v) => v.trim().toLowerCase() === 'true')) {
      throw new Error('this project was generated for production but FLINKS_EXPRESS_URL has demo=true (the test bank); use your production Express link');
    }
    for (const value of Object.values(urls)) {
      if (value !== '' && (value.toLowerCase().includes('toolbox') || isLoopback(value))) {
        throw new Error(`this project was generated for production; ${value} is not a production Flinks URL`);
      }
    }
  }
  return config;
}

// parseDuration reads a duration the way flinks-onboard prints one (Go's form: 10s, 250ms, 1m30s, 1.5s) and
// returns milliseconds, or NaN.
function parseDuration(text) {
  const units = { ms: 1, s: 1000, m: 60 * 1000, h: 60 * 60 * 1000 };
  const s = String(text).trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(s)) return NaN;
  let total = 0;
  for (const [, n, , unit] of s.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * units[unit];
  return total;
}

// isLoopback says whether a URL points at this computer (127.0.0.0/8, ::1 or localhost).
function isLoopback(raw) {
  let host;
  try {
    host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host.toLowerCase() === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || /^::ffff:7f[0-9a-f]{2}:/i.test(host); // URL writes ::ffff:127.0.0.1 so
  return false;
}

module.exports = { loadConfig, parseDuration, isLoopback, DEFAULT_POLL_INTERVAL_MS, POLL_CAP_MS };

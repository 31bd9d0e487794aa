'use strict';
// The small pieces of HTTP every route uses: the customer cookie, bodies, answers. In Express, most of them are
// built in (res.json, res.redirect, express.raw, express.urlencoded); validSignature is the one to keep as it is.

const crypto = require('node:crypto');

// customer identifies the browser with a random HttpOnly cookie. In your product this is your signed-in user's id.
function customer(req, res) {
  if (res.customer) return res.customer;
  const m = /(?:^|;\s*)customer=([0-9a-f]{32})(?:;|$)/.exec(req.headers.cookie || '');
  if (m) {
    res.customer = m[1];
    return m[1];
  }
  const id = crypto.randomBytes(16).toString('hex');
  setCookie(res, `customer=${id}; Path=/; HttpOnly; SameSite=Lax${https(req) ? '; Secure' : ''}`);
  res.customer = id;
  return id;
}

function setCookie(res, cookie) {
  const prev = res.getHeader('Set-Cookie');
  res.setHeader('Set-Cookie', prev ? [].concat(prev, cookie) : [cookie]);
}

// https says whether the browser reached this server over HTTPS, through your front end. This server listens on
// 127.0.0.1 only, so only a front end on this computer can say so (nginx: proxy_set_header X-Forwarded-Proto
// $scheme, and proxy_set_header Host $host for baseURL).
function https(req) {
  return Boolean(req.socket.encrypted) || String(req.headers['x-forwarded-proto'] || '').trim().toLowerCase() === 'https';
}

// baseURL is this server's own address as the browser sees it, for the redirect URLs Flinks sends the browser to.
// Behind your HTTPS front end, build it from your public address instead.
function baseURL(req) {
  return `${https(req) ? 'https' : 'http'}://${req.headers.host}`;
}

// ownOrigin is this server's origin as the browser sees it (http or https, from X-Forwarded-Proto, and the Host).
function ownOrigin(req) {
  return new URL(baseURL(req)).origin;
}

// sameOrigin says whether a request may come from one of this server's own pages: an Origin header naming another
// origin (another site's form or fetch, or "null" from a sandboxed page) is refused; a request without Origin comes
// from no browser page (a browser sends Origin with every POST) and passes. SameSite=Lax already keeps the customer
// cookie off another site's POST; this refuses what a sibling on the same site (another port, a subdomain) sends.
function sameOrigin(req) {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(String(origin)).origin === ownOrigin(req);
  } catch {
    return false;
  }
}

// sameSecret compares two strings in constant time, whatever their lengths (timingSafeEqual wants equal lengths,
// so it compares their SHA-256 digests).
function sameSecret(a, b) {
  const digest = (s) => crypto.createHash('sha256').update(String(s)).digest();
  return crypto.timingSafeEqual(digest(a), digest(b));
}

// cookieValue returns the value of the cookie name when it is made of URL-safe Base64 characters (all this server
// sets but the customer id), or ''.
function cookieValue(req, name) {
  const m = new RegExp(`(?:^|;\\s*)${name}=([A-Za-z0-9_-]+)(?:;|$)`).exec(req.headers.cookie || '');
  return m ? m[1] : '';
}

// validLoginId accepts a GUID-like id only: it ends up in a URL path (DeleteCard).
function validLoginId(id) {
  return typeof id === 'string' && id.length >= 8 && id.length <= 64 && /^[0-9a-fA-F-]+$/.test(id);
}

// validSignature: HMAC-SHA256 of the raw bytes under the webhook secret, Base64, compared in constant time.
function validSignature(body, signature, secret) {
  const text = String(signature).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  const got = Buffer.from(text, 'base64');
  const want = crypto.createHmac('sha256', secret).update(body).digest();
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

class BadRequest extends Error {
  constructor(message, status = 400) {
    super(message);
    this.status = status;
  }
}

// readBody reads the raw request body, refusing more than limit bytes.
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BadRequest('the body is too large', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// readJSON reads a JSON body sent as application/json only (415 otherwise): another site's page can send text/plain
// or a form without asking this server first (CORS), but never application/json.
async function readJSON(req, limit) {
  const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new BadRequest('send the body as application/json', 415);
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequest('the body is not JSON');
  }
}

async function readForm(req, limit) {
  return new URLSearchParams((await readBody(req, limit)).toString('utf8'));
}

const commonHeaders = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

function sendJSON(res, status, value) {
  res.writeHead(status, { ...commonHeaders, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

function sendText(res, status, text) {
  res.writeHead(status, { ...commonHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function sendPage(res, html) {
  res.writeHead(200, { ...commonHeaders, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(html);
}

function redirect(res, location, status = 302) {
  res.writeHead(status, { ...commonHeaders, Location: location });
  res.end();
}

// escapeHTML makes text safe inside HTML, attributes included.
function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

module.exports = {
  customer, setCookie, https, baseURL, ownOrigin, sameOrigin, sameSecret, cookieValue, validLoginId, validSignature, readBody, readJSON, readForm,
  sendJSON, sendText, sendPage, redirect, escapeHTML, BadRequest,
};
